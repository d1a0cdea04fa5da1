// Weighted-average offset and its hard error bound.
#include "core/estimator/offset_estimator.hpp"

#include <cmath>

namespace ffclock::core::estimator {

OffsetEstimate estimate_offset(const History<Stamp>& history, OffsetWindow window, const UncorrectedClock& clock,
                               long double local_period, double eoffset, double aging_rate) {
  OffsetEstimate est;
  const Stamp& newest = history.at(window.last);
  const long double phat = clock.period();
  long double sw = 0, swt = 0, sww = 0;
  long double min_et = INFINITY;
  for (uint64_t j = window.first; j <= window.last; ++j) {
    const Stamp& s = history.at(j);
    const long double age = phat * static_cast<long double>(newest.tf - s.tf);
    const long double et = clock.point_error(s) + age * aging_rate;
    if (et < min_et) min_et = et;
    const long double x = et / eoffset;
    const long double w = std::exp(-x * x);
    // Move θ_j to Tf_newest with the local period: Cu drifts at (p̂ − p_local) per count.
    const long double theta_j =
        clock.naive_offset(s) + (phat - local_period) * static_cast<long double>(newest.tf - s.tf);
    sw += w;
    swt += w * theta_j;
    sww += w * w;
  }
  est.min_total_error = static_cast<double>(min_et);
  est.weight_sum = static_cast<double>(sw);
  if (!(sw > 0)) return est;
  est.theta = swt / sw;
  long double var = 0;
  for (uint64_t j = window.first; j <= window.last; ++j) {
    const Stamp& s = history.at(j);
    const long double age = phat * static_cast<long double>(newest.tf - s.tf);
    const long double x = (clock.point_error(s) + age * aging_rate) / eoffset;
    const long double w = std::exp(-x * x);
    const long double r =
        clock.naive_offset(s) + (phat - local_period) * static_cast<long double>(newest.tf - s.tf) - est.theta;
    var += w * r * r;
  }
  var /= sw;
  const long double n_eff = sw * sw / sww;
  est.spread = static_cast<double>(std::sqrt(var / n_eff));
  est.valid = true;
  return est;
}

long double offset_maxerror(const History<Stamp>& history, OffsetWindow window, const UncorrectedClock& clock,
                            long double theta, long double local_period, double rate_bound) {
  const Stamp& newest = history.at(window.last);
  const long double phat = clock.period();
  long double best = INFINITY;
  for (uint64_t j = window.first; j <= window.last; ++j) {
    const Stamp& s = history.at(j);
    const long double ticks = static_cast<long double>(newest.tf - s.tf);
    const long double line = theta - (phat - local_period) * ticks;  // published offset of Cu at stamp j
    const long double bound = std::fabs(clock.naive_offset(s) - line) + half_rtt_bound(s, phat, rate_bound) +
                              phat * ticks * rate_bound;
    if (bound < best) best = bound;
  }
  return best;
}

}  // namespace ffclock::core::estimator
