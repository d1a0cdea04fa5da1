// SPDX-License-Identifier: BSD-2-Clause
// Long-term period from quality pairs, with RADclock's quality and sanity gates.
#include "core/estimator/period_estimator.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::estimator {

PeriodPair period_between(const Stamp& older, const Stamp& newer, const UncorrectedClock& clock,
                          double rate_bound) {
  PeriodPair p;
  const long double dtb = newer.tb - older.tb;
  const long double dte = newer.te - older.te;
  const auto dta = static_cast<long double>(newer.ta - older.ta);
  const auto dtf = static_cast<long double>(newer.tf - older.tf);
  if (!(dtb > 0) || !(dte > 0) || newer.ta <= older.ta || newer.tf <= older.tf) return p;
  p.period = (dtb / dta + dte / dtf) / 2;
  const long double phat = clock.period();
  const long double e_sum =
      std::fabs(clock.point_error(older)) + std::fabs(clock.point_error(newer)) +
      phat * std::fabs(static_cast<long double>(newer.rtt_hat) - static_cast<long double>(older.rtt_hat));
  p.esterror_rel = static_cast<double>(e_sum / dtb);
  p.maxerror_rel = static_cast<double>(
      (half_rtt_bound(older, phat, rate_bound) + half_rtt_bound(newer, phat, rate_bound)) / dtb);
  p.valid = true;
  return p;
}

void PeriodEstimator::start(long double prior, double prior_maxerror_rel) {
  period_ = prior;
  esterror_ = prior_maxerror_rel;
  maxerror_ = prior_maxerror_rel;
  last_pair_error_ = prior_maxerror_rel;
}

bool PeriodEstimator::sane(long double candidate, double candidate_err, const Thresholds& th) const {
  const double change = static_cast<double>(std::fabs(candidate - period_) / period_);
  // A change larger than both errors together can explain (and than RADclock's sanity
  // threshold) is a jump in the server's clock, not a better estimate.
  return change <= std::max(th.phat_sanity, 3 * (maxerror_ + candidate_err));
}

PeriodOutcome PeriodEstimator::add_warmup(const History<Stamp>& history, uint64_t run_start, uint64_t index,
                                          uint64_t width, const UncorrectedClock& clock,
                                          const Thresholds& th) {
  if (index <= run_start) return PeriodOutcome::NoCandidate;
  width = std::max<uint64_t>(1, std::min(width, (index - run_start + 1) / 2));
  const uint64_t first = std::max(run_start, history.begin());
  const uint64_t far = min_rtt_index(history, first, std::min(first + width - 1, index));
  const uint64_t near = min_rtt_index(history, std::max(first, index + 1 - width), index);
  if (near <= far) return PeriodOutcome::NoCandidate;
  const PeriodPair pair = period_between(history.at(far), history.at(near), clock, 0);
  if (!pair.valid || history.at(near).qual_warning || history.at(far).qual_warning ||
      history.at(near).excluded || history.at(far).excluded)
    return PeriodOutcome::NoCandidate;
  // Only a pair whose hard bound beats the current one can improve the estimate: early
  // pairs (a few poll intervals apart) are worse than a decent prior.
  if (pair.maxerror_rel >= maxerror_) return PeriodOutcome::KeptQuality;
  if (!sane(pair.period, pair.maxerror_rel, th)) return PeriodOutcome::RejectedSanity;
  period_ = pair.period;
  esterror_ = pair.esterror_rel;
  maxerror_ = pair.maxerror_rel;
  last_pair_error_ = pair.esterror_rel;
  return PeriodOutcome::Updated;
}

void PeriodEstimator::end_warmup(const History<Stamp>& history, uint64_t run_start, uint64_t width) {
  const uint64_t first = std::max(run_start, history.begin());
  pstamp_ = history.at(
      min_rtt_index(history, first, std::min(first + std::max<uint64_t>(width, 1) - 1, history.end() - 1)));
}

PeriodOutcome PeriodEstimator::add_full(const Stamp& stamp, const UncorrectedClock& clock,
                                        const Thresholds& th) {
  if (stamp.excluded || static_cast<double>(clock.point_error(stamp)) >= th.phat)
    return PeriodOutcome::NoCandidate;
  const PeriodPair pair = period_between(pstamp_, stamp, clock, 0);
  if (!pair.valid) return PeriodOutcome::NoCandidate;
  // Proceed if better than the last candidate, or good enough outright (avoids lock-in).
  const bool better = pair.esterror_rel < last_pair_error_ || pair.esterror_rel < th.phat_quality;
  last_pair_error_ = pair.esterror_rel;
  if (!better) return PeriodOutcome::KeptQuality;
  if (stamp.qual_warning || !sane(pair.period, pair.maxerror_rel, th)) return PeriodOutcome::RejectedSanity;
  period_ = pair.period;
  esterror_ = pair.esterror_rel;
  maxerror_ = pair.maxerror_rel;
  return PeriodOutcome::Updated;
}

}  // namespace ffclock::core::estimator
