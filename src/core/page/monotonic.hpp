// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The page's monotonic clock: TAI-rate seconds since an arbitrary origin, as continuous
// piecewise-linear segments that never go back.
//
// Definition: monotonic(c) = base + (c - anchor) * rate (page_math::monotonic_at, a counter
// behind the anchor is clamped). `origin` is the TAI instant the clock counts from, so
// TAI(c) ~ origin + monotonic(c); the difference is slewed away at a bounded rate, never
// stepped. A step of absolute time (a reference step, or an error beyond step_threshold)
// moves `origin` instead of the clock, so a step never moves monotonic time.
//
// Re-anchoring at c0 sets base' = monotonic_old(c0) with the reader's own integer formula,
// so monotonic_new(c0) == monotonic_old(c0) exactly. Any reader that finished with the old
// segment read a counter c < c0 (the writer samples c0 inside the seqlock write section),
// hence old(c) <= old(c0) = new(c0) <= new(c') for every later reader.

#include <cstdint>

#include "ffclock/period.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core {

struct MonotonicConfig {
  double max_slew = 500e-6;                               // bound on |rate / TAI rate - 1|
  Duration slew_horizon = Duration::seconds(1000);        // remove the error over this span
  Duration step_threshold = Duration::milliseconds(500);  // larger errors re-base the origin
};

struct MonotonicSegment {
  bool valid = false;
  uint64_t anchor_counter = 0;
  Duration base;       // monotonic time at anchor_counter (>= 0)
  CounterPeriod rate;  // seconds of monotonic time per tick
  TaiTime origin;      // TAI at monotonic zero, re-based on steps

  // The reader's formula (page_math::monotonic_at), clamped behind the anchor.
  [[nodiscard]] Duration at(uint64_t counter) const;
};

struct MonotonicUpdate {
  MonotonicSegment segment;
  bool stepped = false;  // absolute time stepped: origin re-based, step generation +1
};

// The next segment from counter c0, where absolute time is tai_c0 and TAI advances by
// tai_rate per tick. `absolute_known` false (no calibration yet) keeps the origin and the
// current error. `reference_step` is the daemon's word that absolute time was stepped.
[[nodiscard]] MonotonicUpdate reanchor_monotonic(const MonotonicSegment& old, uint64_t c0, TaiTime tai_c0,
                                                 CounterPeriod tai_rate, bool absolute_known,
                                                 bool reference_step, const MonotonicConfig& config = {});

// period * (1 + rel), keeping frac normalised (|rel| well below 1).
[[nodiscard]] CounterPeriod scale_period(CounterPeriod period, double rel);

}  // namespace ffclock::core
