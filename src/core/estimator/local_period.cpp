// Local period between near and far min-RTT stamps, with RADclock's quality and sanity gates.
#include "core/estimator/local_period.hpp"

#include <cmath>

#include "core/estimator/period_estimator.hpp"

namespace ffclock::core::estimator {

LocalPeriodOutcome LocalPeriod::add(const History<Stamp>& history, uint64_t index, uint64_t first_usable,
                                    const Windows& w, const UncorrectedClock& clock, const Thresholds& th,
                                    bool qual_warning) {
  const uint64_t reach = w.plocal + w.wwidth / 2 + w.wwidth;  // far window's oldest stamp
  if (index < reach || index - reach < first_usable || index - reach < history.begin())
    return LocalPeriodOutcome::TooShort;
  const uint64_t near = min_rtt_index(history, index + 1 - w.wwidth, index);
  const uint64_t far_last = index - w.plocal - w.wwidth / 2;
  const uint64_t far = min_rtt_index(history, far_last + 1 - w.wwidth, far_last);
  const PeriodPair pair = period_between(history.at(far), history.at(near), clock, 0);
  if (!pair.valid) return LocalPeriodOutcome::KeptQuality;
  if (pair.esterror_rel >= th.plocal_quality) return LocalPeriodOutcome::KeptQuality;
  const double change = static_cast<double>(std::fabs(pair.period - period_) / period_);
  if (qual_warning || history.at(far).qual_warning || history.at(near).qual_warning || change > th.plocal_sanity)
    return LocalPeriodOutcome::RejectedSanity;
  period_ = pair.period;
  esterror_ = pair.esterror_rel;
  return LocalPeriodOutcome::Updated;
}

}  // namespace ffclock::core::estimator
