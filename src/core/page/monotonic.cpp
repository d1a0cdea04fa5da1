// SPDX-License-Identifier: BSD-2-Clause
// Monotonic segment re-anchoring: continuity at the switch counter, bounded slew.
#include "core/page/monotonic.hpp"

#include <algorithm>
#include <cmath>

#include "ffclock/page_math.hpp"

namespace ffclock::core {

Duration MonotonicSegment::at(uint64_t counter) const {
  const auto b = page_math::split(base.fixed());
  return Duration::from_fixed(
      page_math::monotonic_at(counter, anchor_counter, rate.frac, rate.shift, b.sec, b.frac));
}

CounterPeriod scale_period(CounterPeriod period, double rel) {
  if (period.frac == 0 || rel == 0.0) return period;
  // rel in parts per 2^40 keeps the rounding far below 1e-12 and the product below 2^105.
  const auto q = static_cast<int64_t>(std::llround(std::ldexp(rel, 40)));
  const int128 delta = (static_cast<int128>(period.frac) * q) >> 40;
  int128 frac = static_cast<int128>(period.frac) + delta;
  int shift = period.shift;
  if (frac >= (int128{1} << 64)) {  // grew past 64 bits: drop one bit of precision
    frac >>= 1;
    --shift;
  } else if (frac < (int128{1} << 63) && shift < 255) {  // shrank: regain one bit
    frac <<= 1;
    ++shift;
  }
  if (shift < 0 || frac <= 0) return {};
  return {static_cast<uint64_t>(frac), static_cast<uint8_t>(shift)};
}

MonotonicUpdate reanchor_monotonic(const MonotonicSegment& old, uint64_t c0, TaiTime tai_c0,
                                   CounterPeriod tai_rate, bool absolute_known, bool reference_step,
                                   const MonotonicConfig& config) {
  MonotonicUpdate out;
  MonotonicSegment& seg = out.segment;
  seg.valid = true;
  seg.anchor_counter = c0;
  // An old segment that no writer could have published (a corrupt page continued after a
  // restart) is not continued: its value at c0 or its origin is beyond 2^39 s (so that an
  // origin re-based below, TAI - base, stays within the 2^40 s decode_page accepts).
  const int128 kSane = int128{1} << 103;
  const int128 old_at_c0 = old.valid ? old.at(c0).fixed() : 0;
  const bool old_usable = old.valid && old_at_c0 > -kSane && old_at_c0 < kSane &&
                          old.origin.fixed() > -kSane && old.origin.fixed() < kSane &&
                          tai_c0.fixed() > -kSane && tai_c0.fixed() < kSane;
  if (!old_usable) {
    // First segment: monotonic time starts at zero here, at TAI-rate.
    seg.base = Duration::zero();
    seg.origin = absolute_known ? tai_c0 : TaiTime{};
    seg.rate = tai_rate;
    return out;
  }
  seg.base = Duration::from_fixed(old_at_c0);  // exact continuity: the reader's formula at c0
  seg.origin = old.origin;
  if (!absolute_known) {
    seg.rate = tai_rate.frac != 0 ? tai_rate : old.rate;
    return out;
  }
  // Error of monotonic time against TAI - origin; positive means monotonic is behind.
  const Duration error = (tai_c0 - seg.origin) - seg.base;
  if (reference_step || abs(error) > config.step_threshold || old.origin == TaiTime{}) {
    seg.origin = tai_c0 - seg.base;  // a step moves the origin, never the clock
    out.stepped = reference_step || old.origin != TaiTime{};
    seg.rate = tai_rate;
    return out;
  }
  const double horizon = config.slew_horizon.to_seconds();
  const double rel =
      std::clamp(horizon > 0 ? error.to_seconds() / horizon : 0.0, -config.max_slew, config.max_slew);
  seg.rate = scale_period(tai_rate, rel);
  return out;
}

}  // namespace ffclock::core
