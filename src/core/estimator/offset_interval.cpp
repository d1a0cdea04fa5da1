// SPDX-License-Identifier: BSD-2-Clause
// The stamps' intersection interval of the offset, and the line's estimate inside it.
#include "core/estimator/offset_interval.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::estimator {

OffsetInterval offset_interval(const History<Stamp>& history, uint64_t first, uint64_t last,
                               const UncorrectedClock& clock, long double theta, long double local_period,
                               uint64_t rtt_min, const IntervalSlack& slack) {
  OffsetInterval out{-INFINITY, INFINITY};
  const OffsetsAlongLine along(history.at(last), clock, theta, local_period);
  const double phat = along.period();
  const double wander2 = slack.wander * slack.wander / 3;
  history.visit_back(first, last, [&](const Stamp& s) {
    if (s.excluded || s.rtt < rtt_min) return true;
    const double ticks = along.ticks(s);
    const double age = phat * ticks;
    const double d = along.offset(s, ticks);  // the stamp's offset carried along the line
    const double half_e = 0.5 * phat * static_cast<double>(s.rtt - rtt_min);
    const double r = slack.rate * age;
    const double w = slack.constant_s + std::sqrt(r * r + wander2 * age * age * age);
    out.lower = std::max(out.lower, d - half_e - w);
    out.upper = std::min(out.upper, d + half_e + w);
    return true;
  });
  return out;
}

TruncatedNormal truncated_normal(double sigma, OffsetInterval in) {
  if (in.empty() || !(sigma > 0)) return {0, sigma};
  // Mirror so that the interval's centre is at or above the mean: tail probabilities with
  // erfc then keep their precision where the whole interval lies above it.
  if (in.lower + in.upper < 0) {
    const TruncatedNormal m = truncated_normal(sigma, OffsetInterval{-in.upper, -in.lower});
    return {-m.mean, m.sigma};
  }
  const double a = in.lower / sigma, b = in.upper / sigma;
  constexpr double kInvSqrt2 = 0.70710678118654752440;
  constexpr double kInvSqrt2Pi = 0.39894228040143267794;
  const double z = 0.5 * (std::erfc(a * kInvSqrt2) - std::erfc(b * kInvSqrt2));  // P(a < X < b)
  const double pa = std::isfinite(a) ? kInvSqrt2Pi * std::exp(-0.5 * a * a) : 0.0;
  const double pb = std::isfinite(b) ? kInvSqrt2Pi * std::exp(-0.5 * b * b) : 0.0;
  const double width = in.upper - in.lower;
  if (!(z > 1e-300)) return {in.lower, std::min(sigma, width / std::sqrt(12.0))};
  const double m = (pa - pb) / z;
  const double apa = std::isfinite(a) ? a * pa : 0.0;
  const double bpb = std::isfinite(b) ? b * pb : 0.0;
  const double var = std::max(0.0, 1 + (apa - bpb) / z - m * m);
  return {std::clamp(sigma * m, in.lower, in.upper), sigma * std::sqrt(var)};
}

}  // namespace ffclock::core::estimator
