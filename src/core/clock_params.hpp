// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Calibrated clock parameters: what an estimator publishes and what the page carries.
//
// Absolute time at counter C is anchor_time + (C - anchor_counter) * local_period; the true
// time lies within +-maxerror_at(C), which grows from time_maxerror at the rate bound
// period_maxerror_rel. The difference clock uses `period` only.

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
  // Difference clock: the length of [c0, c1] measured with the long-term period.
  Duration elapsed(uint64_t c0, uint64_t c1) const {
    return period.ticks_to_duration(static_cast<int64_t>(c1 - c0));
  }
};

}  // namespace ffclock::core
