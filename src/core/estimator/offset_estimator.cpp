// SPDX-License-Identifier: BSD-2-Clause
// The hard error bound of the published offset.
#include "core/estimator/offset_estimator.hpp"

#include <cmath>

namespace ffclock::core::estimator {

long double offset_maxerror(const History<Stamp>& history, OffsetWindow window, const UncorrectedClock& clock,
                            long double theta, long double local_period, double rate_bound) {
  // Per stamp j, `ticks` = Tf_newest − Tf_j:
  //   bound_j = |θ_j − line_j| + half_rtt_j + p̂·ticks·rate_bound,
  //   line_j = θ − (p̂ − local_period)·ticks (the published offset of Cu at stamp j),
  // and θ_j − line_j = (θ_j − θ_newest) + (θ_newest − θ) + (p̂ − local_period)·ticks, all
  // small quantities, so the pass runs in double (naive_offset_diff).
  const Stamp& newest = history.at(window.last);
  const auto phat = static_cast<double>(clock.period());
  const auto drift = static_cast<double>(clock.period() - local_period);
  const auto gap = static_cast<double>(clock.naive_offset(newest) - theta);
  const double rtt_scale = phat * (1 + rate_bound);
  const double age_scale = phat * rate_bound;
  double best = INFINITY;
  // Newest first: the age term only grows going back, so once it alone reaches the best
  // bound no older stamp can beat it.
  history.visit_back(window.first, window.last, [&](const Stamp& s) {
    const auto ticks = static_cast<double>(static_cast<int64_t>(newest.tf - s.tf));
    const double age = age_scale * ticks;
    if (!(age < best)) return false;
    if (s.excluded) return true;
    // The half RTT and the age term alone decide most stamps.
    const double floor = half_rtt_bound_d(s, rtt_scale) + age;
    if (!(floor < best)) return true;
    const double bound = std::fabs(naive_offset_diff(s, newest, phat) + gap + drift * ticks) + floor;
    if (bound < best) best = bound;
    return true;
  });
  return best;
}

}  // namespace ffclock::core::estimator
