// SPDX-License-Identifier: BSD-2-Clause
// Weighted local line fits over nested windows, one backward pass.
#include "core/estimator/offset_fit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace ffclock::core::estimator {

FitWindows make_fit_windows(uint32_t shortest, uint32_t longest) {
  FitWindows w;
  shortest = std::max<uint32_t>(1, shortest);
  longest = std::max(shortest, longest);
  double n = shortest;
  while (w.count < kMaxFitWindows) {
    const auto len = std::min(longest, static_cast<uint32_t>(std::lround(n)));
    if (w.count == 0 || len > w.length[w.count - 1]) w.length[w.count++] = len;
    if (len >= longest) break;
    n *= std::sqrt(2.0);
  }
  if (w.length[w.count - 1] != longest) w.length[w.count - 1] = longest;  // the table ran out
  return w;
}

double stamp_weight(const Stamp& s, const UncorrectedClock& clock, double floor_s, double cut_s,
                    double soft_s) {
  const double e = static_cast<double>(clock.point_error(s));
  if (e > cut_s) return 0.0;
  // Variance of a uniform over ±E/2 is E²/12. (RADclock's Gaussian cut exp(−(E/Eoffset)²)
  // on top was measured worse on every reference scenario: it throws away most stamps of
  // noisy paths.)
  const double x = soft_s > 0 ? e / soft_s : 0.0;
  return 12.0 / (e * e + floor_s * floor_s) * std::exp(-x * x);
}

namespace {

// Cumulative weighted sums of x (s, ≤ 0) and y = θ_j − θ_newest (s).
struct Sums {
  double w = 0, x = 0, xx = 0, y = 0, xy = 0, yy = 0, ww = 0;
  double min_e = INFINITY;
  uint32_t n = 0;
  double nw = 0;  // stamps with weight
  double we = 0;  // Σ w·E (E in counts)
};

LineFit solve(const Sums& s, long double theta0, double prior_slope, double prior_precision, double phat) {
  LineFit f;
  f.stamps = s.n;
  f.min_error = s.min_e;
  if (!(s.w > 0)) return f;
  f.valid = true;
  const double xm = s.x / s.w;
  const double ym = s.y / s.w;
  const double sxx = s.xx - s.x * xm;  // Σw(x − x̄)²
  const double n_eff = s.w * s.w / s.ww;
  // A slope needs stamps spread over at least a second (the burst is 2 s apart) and two
  // effective stamps; otherwise the prior slope carries the mean to x = 0.
  if (n_eff >= 2 && sxx > s.w) {
    // The prior slope enters as a pseudo-observation: weights are inverse variances, so
    // its precision adds to Σw(x − x̄)².
    f.slope = (s.xy - s.x * ym + prior_precision * prior_slope) / (sxx + prior_precision);
    f.fitted_slope = true;
  } else {
    f.slope = prior_slope;
  }
  f.x_mean = xm;
  const double a = ym - f.slope * xm;  // line at x = 0
  f.theta = theta0 + a;
  // Residual scale from the data (weights are relative): s² = Σw r² / Σw · n_eff/(n_eff − k).
  const double syy = s.yy - s.y * ym;
  const double sxy = s.xy - s.x * ym;
  const double rss = std::max(0.0, syy - 2 * f.slope * sxy + f.slope * f.slope * sxx);
  const double k = f.fitted_slope ? 2 : 1;
  const double var = n_eff > k ? rss / s.w * n_eff / (n_eff - k) : rss / s.w;
  const double lever = f.fitted_slope && sxx > 0 ? xm * xm * s.w / sxx : 0;
  f.esterror = std::sqrt(var * (1 + lever) / n_eff);
  f.slope_esterror = f.fitted_slope ? std::sqrt(var * s.w / n_eff / (sxx + prior_precision)) : 0;
  // The published 1σ. Weights are inverse variances up to one common scale c, estimated as
  // Σw r² / (n − k) over the n weighted stamps, so the offset's variance is c/Σw (the
  // residual variance over the effective count, above, overstates it by (n − k)/(n_eff − k)
  // when weights are unequal: a conservative figure for comparing windows, not a calibrated
  // one). To it adds what the residuals cannot show: the stamps' queueing excess E splits
  // between the directions in a way common to all of them when the queues are asymmetric,
  // a bias within ±(weighted mean E)/2, as 1σ of a uniform that is mean(E)/(2√3).
  const double dof = s.nw > k ? s.nw - k : 1;
  const double c = rss / dof;
  const double bias = s.we / s.w * phat / (2 * std::sqrt(3.0));
  f.published_esterror = std::sqrt(c * (1 + lever) / s.w + bias * bias);
  return f;
}

}  // namespace

void fit_windows(const History<Stamp>& history, uint64_t first_usable, uint64_t last,
                 const UncorrectedClock& clock, double prior_slope, double prior_slope_sigma,
                 const FitWindows& windows, std::array<LineFit, kMaxFitWindows>& out) {
  const double prior_precision = prior_slope_sigma > 0 ? 1 / (prior_slope_sigma * prior_slope_sigma) : 0;
  const Stamp& newest = history.at(last);
  const long double theta0 = clock.naive_offset(newest);
  // Everything per stamp is in double relative to the newest stamp (naive_offset_diff): the
  // only long double is θ0 above. Walks the ring buffer's slots directly (no division).
  const auto phat = static_cast<double>(clock.period());
  const double half_phat = phat * 0.5;
  const uint64_t oldest = std::max(first_usable, history.begin());
  const uint64_t available = last >= oldest ? last - oldest + 1 : 1;
  const uint64_t newest_ta = newest.ta, newest_tf = newest.tf;
  const double newest_mid_hi = newest.mid_hi, newest_mid_lo = newest.mid_lo;
  const Stamp* const first_slot = history.data();
  const Stamp* const last_slot = first_slot + (history.capacity() - 1);
  const Stamp* p = first_slot + history.slot(last);
  Sums sums;
  uint64_t min_excess = UINT64_MAX;  // min RTT − RTT̂ over the weighted stamps, in counts
  uint64_t done = 0;                 // stamps summed so far
  for (std::size_t k = 0; k < windows.count; ++k) {
    const uint64_t reach = std::min<uint64_t>(windows.length[k], available);
    for (; done < reach; ++done) {
      const Stamp& s = *p;
      p = p == first_slot ? last_slot : p - 1;
      // Branch-free: a stamp without weight adds exact zeros (x, y are finite).
      const double w = s.excluded ? 0.0 : s.weight;
      // naive_offset_diff, spelled out with the newest stamp's fields in registers.
      const auto dta = static_cast<double>(static_cast<int64_t>(s.ta - newest_ta));
      const auto dtf = static_cast<double>(static_cast<int64_t>(s.tf - newest_tf));
      const double x = phat * dtf;
      const double y = half_phat * (dta + dtf) - ((s.mid_hi - newest_mid_hi) + (s.mid_lo - newest_mid_lo));
      const double wx = w * x;
      const double wy = w * y;
      sums.w += w;
      sums.x += wx;
      sums.xx += wx * x;
      sums.y += wy;
      sums.xy += wx * y;
      sums.yy += wy * y;
      sums.ww += w * w;
      sums.nw += w > 0 ? 1.0 : 0.0;
      sums.we += w * static_cast<double>(s.rtt - s.rtt_hat);
      const uint64_t excess = w > 0 ? s.rtt - s.rtt_hat : UINT64_MAX;
      min_excess = std::min(min_excess, excess);
    }
    sums.n = static_cast<uint32_t>(done);
    // p̂ > 0, so the smallest excess gives the smallest point error.
    sums.min_e = min_excess == UINT64_MAX ? INFINITY : phat * static_cast<double>(min_excess);
    out[k] = solve(sums, theta0, prior_slope, prior_precision, phat);
  }
}

}  // namespace ffclock::core::estimator
