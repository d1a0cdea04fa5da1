#pragma once
// Local period (RADclock's process_plocal_full): the rate over the recent past, between the
// min-RTT stamp of a near window (the last wwidth stamps) and of a far window about plocal_win
// stamps earlier. It follows the oscillator's wander better than the long-term p̂ and is the
// slope the absolute clock extrapolates with.

#include <cstdint>

#include "core/estimator/history.hpp"
#include "core/estimator/stamp.hpp"
#include "core/estimator/windows.hpp"

namespace ffclock::core::estimator {

enum class LocalPeriodOutcome : uint8_t {
  Updated,
  TooShort,        // history does not reach the far window yet (start, poll change)
  KeptQuality,
  RejectedSanity,
};

class LocalPeriod {
 public:
  void start(long double period) { period_ = period; }
  // Warm-up: follows p̂.
  void follow(long double phat) { period_ = phat; }
  LocalPeriodOutcome add(const History<Stamp>& history, uint64_t index, uint64_t first_usable,
                         const Windows& w, const UncorrectedClock& clock, const Thresholds& th, bool qual_warning);

  long double period() const { return period_; }
  double esterror_rel() const { return esterror_; }

 private:
  long double period_ = 1e-9L;
  double esterror_ = 0;
};

}  // namespace ffclock::core::estimator
