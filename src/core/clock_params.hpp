// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Calibrated clock parameters: what an estimator publishes and what the page carries.
//
// Absolute time at counter C is anchor_time + (C - anchor_counter) * local_period; the true
// time lies within +-maxerror_at(C), which grows from time_maxerror at the rate bound
// period_maxerror_rel. The difference clock uses `period` only.

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "ffclock/period.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core {

enum class SyncStatus : uint8_t {
  Unsynchronized,  // nothing usable yet
  WarmUp,          // publishing, but still in the warm-up windows
  Synchronized,    // full algorithm running, recent good exchanges
  Holdover,        // no good exchange for a while: extrapolating
};

struct ClockParams {
  uint64_t anchor_counter = 0;
  UtcTime anchor_time;             // offset-corrected time at anchor_counter
  CounterPeriod period;            // long-term period p̂
  CounterPeriod local_period;      // local period, used to extrapolate from the anchor
  Duration time_esterror;          // estimated error at the anchor
  Duration time_maxerror;          // true time within +-this at the anchor
  double period_esterror_rel = 0;  // estimated relative error of the period
  double period_maxerror_rel = 0;  // bound on the relative period error (s per s)
  SyncStatus status = SyncStatus::Unsynchronized;

  // Absolute time at a counter value (the counter may be before the anchor).
  UtcTime time_at(uint64_t counter) const {
    return anchor_time + local_period.ticks_to_duration(static_cast<int64_t>(counter - anchor_counter));
  }
  // Half-width of the error interval at a counter value.
  Duration maxerror_at(uint64_t counter) const {
    const Duration age = abs(period.ticks_to_duration(static_cast<int64_t>(counter - anchor_counter)));
    return time_maxerror + Duration::from_seconds(age.to_seconds() * period_maxerror_rel);
  }
  // Estimated error (1σ) at a counter value, as readers have it: the anchor's and the rate's
  // parts independent, √(time_esterror² + (age · period_esterror_rel)²).
  Duration esterror_at(uint64_t counter) const {
    const double age =
        abs(period.ticks_to_duration(static_cast<int64_t>(counter - anchor_counter))).to_seconds();
    const double e0 = time_esterror.to_seconds();
    const double r = age * period_esterror_rel;
    return Duration::from_seconds(std::sqrt(e0 * e0 + r * r));
  }
  // The same line anchored at another counter value, its errors grown to there. A reader's
  // 1σ grows from the new anchor as √(e² + (Δ·rate)²), flat at first, where this line's was
  // already growing: with a `horizon` (s), the rate's 1σ is set so that the two meet again
  // `horizon` later (below it in between), for a publisher that re-anchors that often.
  ClockParams reanchored(uint64_t counter, double horizon_s = 0) const {
    ClockParams p = *this;
    if (counter == anchor_counter) return p;
    p.anchor_counter = counter;
    p.anchor_time = time_at(counter);
    p.time_maxerror = maxerror_at(counter);
    p.time_esterror = esterror_at(counter);
    if (horizon_s > 0) {
      const auto ahead = static_cast<int64_t>(std::llround(horizon_s / period.to_seconds()));
      p.period_esterror_rel =
          meeting_rate(p.time_esterror.to_seconds(),
                       esterror_at(counter + static_cast<uint64_t>(ahead)).to_seconds(), horizon_s);
    }
    return p;
  }
  // The rate 1σ that takes a reader's √(e² + (h·rate)²) from `now` to `later` in h seconds.
  static double meeting_rate(double now, double later, double horizon_s) {
    return std::sqrt(std::max(0.0, later * later - now * now)) / horizon_s;
  }
  // Difference clock: the length of [c0, c1] measured with the long-term period.
  Duration elapsed(uint64_t c0, uint64_t c1) const {
    return period.ticks_to_duration(static_cast<int64_t>(c1 - c0));
  }
};

}  // namespace ffclock::core
