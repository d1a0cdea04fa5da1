// The hard error bound of the published offset.
#include "core/estimator/offset_estimator.hpp"

#include <cmath>

namespace ffclock::core::estimator {

long double offset_maxerror(const History<Stamp>& history, OffsetWindow window, const UncorrectedClock& clock,
                            long double theta, long double local_period, double rate_bound) {
  const Stamp& newest = history.at(window.last);
  const long double phat = clock.period();
  long double best = INFINITY;
  for (uint64_t j = window.first; j <= window.last; ++j) {
    const Stamp& s = history.at(j);
    if (s.excluded) continue;
    const long double ticks = static_cast<long double>(newest.tf - s.tf);
    const long double line = theta - (phat - local_period) * ticks;  // published offset of Cu at stamp j
    const long double bound = std::fabs(clock.naive_offset(s) - line) + half_rtt_bound(s, phat, rate_bound) +
                              phat * ticks * rate_bound;
    if (bound < best) best = bound;
  }
  return best;
}

}  // namespace ffclock::core::estimator
