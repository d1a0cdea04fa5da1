// SPDX-License-Identifier: BSD-2-Clause
// The hard error bound of the published offset.
#include "core/estimator/offset_estimator.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::estimator {

long double offset_maxerror(const History<Stamp>& history, OffsetWindow window, const UncorrectedClock& clock,
                            long double theta, long double local_period, double rate_bound) {
  // Per stamp j the hard interval is (θ_j − line_j) ± (half_rtt_j + p̂·ticks_j·rate_bound),
  // line_j the published offset of Cu at stamp j (OffsetsAlongLine).
  const OffsetsAlongLine along(history.at(window.last), clock, theta, local_period);
  const double phat = along.period();
  const double rtt_scale = phat * (1 + rate_bound);
  const double age_scale = phat * rate_bound;
  // Each stamp's hard interval, carried to the newest stamp: [d_j − h_j − age_j, d_j + h_j +
  // age_j] relative to the line, d_j = θ_j − line_j. True time lies in every one of them, so
  // in their intersection [lower, upper], and the line's error is at most the farther edge:
  // never more than the best single stamp's |d_j| + h_j + age_j, and less where the stamps'
  // queues fell on different sides.
  double lower = -INFINITY, upper = INFINITY;
  double single = INFINITY;  // the best stamp's own bound, should the intervals not meet
  // Newest first. Any subset's intersection is a bound; once a stamp's age term alone
  // exceeds the interval's width it can no longer narrow it (its own interval, centred within
  // the others', is wider on both sides), so the pass stops there.
  history.visit_back(window.first, window.last, [&](const Stamp& s) {
    const double ticks = along.ticks(s);
    const double age = age_scale * ticks;
    if (!(age < upper - lower)) return false;
    if (s.excluded) return true;
    const double half = half_rtt_bound_d(s, rtt_scale) + age;
    const double d = along.offset(s, ticks);
    lower = std::max(lower, d - half);
    upper = std::min(upper, d + half);
    single = std::min(single, std::fabs(d) + half);
    return true;
  });
  // Intervals that do not meet break the bound's own assumptions (a rate beyond the bound, a
  // server step): the best single stamp's bound, as before the intersection.
  if (!(lower <= upper)) return single;
  return std::max(-lower, upper);
}

}  // namespace ffclock::core::estimator
