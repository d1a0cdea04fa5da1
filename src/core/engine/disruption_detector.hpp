// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Disruptions nobody announces, detected from the clocks the daemon reads at every wake-up:
//  - a suspend: CLOCK_BOOTTIME − CLOCK_MONOTONIC grows (MONOTONIC stops while suspended);
//  - a counter jump: the counter advanced by more or less than CLOCK_MONOTONIC (slewed by
//    at most 500 ppm by the kernel) allows, at the counter's known period and bound.
// Pure: the daemon passes the readings; a vmclock marker change is checked elsewhere.

#include <cstdint>
#include <optional>

#include "core/engine/sync_engine.hpp"

namespace ffclock::core::engine {

struct WakeReading {
  uint64_t counter = 0;
  int64_t monotonic_ns = 0;
  int64_t boottime_ns = 0;
};

class DisruptionDetector {
 public:
  // `period_s`: seconds per tick (nominal before calibration); `period_bound_rel` its bound.
  [[nodiscard]] std::optional<DisruptionReason> check(const WakeReading& r, long double period_s,
                                                      double period_bound_rel);
  // Forget the last reading (after a disruption was handled, or a deliberate pause).
  void restart() { last_.reset(); }

 private:
  std::optional<WakeReading> last_;
};

}  // namespace ffclock::core::engine
