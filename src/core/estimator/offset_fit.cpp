// SPDX-License-Identifier: BSD-2-Clause
// Weighted local line fits over nested windows, one backward pass.
#include "core/estimator/offset_fit.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

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

namespace {

// Σᵢⱼ aᵢ aⱼ min(σᵢ², σⱼ²) over the candidates with aᵢ > 0, σ the field `sigma`: the mixed
// lines' errors taken as nested (the one with the smaller variance shares all of it with the
// other). Pairwise and branch-free: there are at most kMaxFitWindows candidates, and the
// insertion sort this replaced (ascending σ, then one pass) mispredicted its way to a tenth
// of `Estimator::add`.
double nested_variance(const std::array<LineFit, kMaxFitWindows>& fits, std::size_t count,
                       const std::array<double, kMaxFitWindows>& a, double LineFit::*sigma) {
  std::array<double, kMaxFitWindows> v{}, w{};
  std::size_t n = 0;
  for (std::size_t k = 0; k < count; ++k) {
    if (!(a[k] > 0)) continue;
    v[n] = fits[k].*sigma * (fits[k].*sigma);
    w[n] = a[k];
    ++n;
  }
  double var = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double cross = 0;
    for (std::size_t j = i + 1; j < n; ++j) cross += w[j] * std::min(v[i], v[j]);
    var += w[i] * (w[i] * v[i] + 2 * cross);
  }
  return var;
}

}  // namespace

LineFit mix_fits(const std::array<LineFit, kMaxFitWindows>& fits, std::size_t count,
                 const std::array<double, kMaxFitWindows>& weights, std::size_t base) {
  count = std::min(count, kMaxFitWindows);
  double total = 0;
  for (std::size_t k = 0; k < count; ++k)
    if (fits[k].valid && weights[k] > 0) total += weights[k];
  LineFit out = fits[base];
  if (!(total > 0)) return out;
  std::array<double, kMaxFitWindows> a{};
  long double dtheta = 0;  // relative to base's θ̂: the θ̂ differ by far less than they are
  double slope = 0, x_mean = 0;
  for (std::size_t k = 0; k < count; ++k) {
    if (!fits[k].valid || !(weights[k] > 0)) continue;
    a[k] = weights[k] / total;
    dtheta += static_cast<long double>(a[k]) * (fits[k].theta - fits[base].theta);
    slope += a[k] * fits[k].slope;
    x_mean += a[k] * fits[k].x_mean;
  }
  out.theta += dtheta;
  out.slope = slope;
  out.x_mean = x_mean;
  out.published_esterror = std::sqrt(nested_variance(fits, count, a, &LineFit::published_esterror));
  out.slope_esterror = std::sqrt(nested_variance(fits, count, a, &LineFit::slope_esterror));
  return out;
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
  double nw = 0;                     // stamps with weight
  double we = 0;                     // Σ w·E (E in counts)
  double wee = 0, wex = 0, wey = 0;  // Σ w·E², Σ w·E·x, Σ w·E·y (E in counts)
};

LineFit solve(const Sums& s, long double theta0, double prior_slope, double prior_precision, double phat,
              double floor_s, bool two_stamps_suffice) {
  LineFit f;
  f.stamps = s.n;
  f.min_error = s.min_e;
  if (!(s.w > 0)) return f;
  f.valid = true;
  // Divisions are few (they cost as much as a dozen multiplications, and this runs for
  // every candidate window of every exchange): 1/Σw and 1/(Sxx + prior) are reused.
  const double inv_w = 1 / s.w;
  const double xm = s.x * inv_w;
  const double ym = s.y * inv_w;
  const double sxx = s.xx - s.x * xm;  // Σw(x − x̄)²
  const double n_eff = s.w * s.w / s.ww;
  const double inv_n_eff = s.ww * inv_w * inv_w;
  const double inv_sxx_prior = 1 / (sxx + prior_precision);
  // A slope needs stamps spread over at least a second (the burst is 2 s apart) and two
  // effective stamps (or, in a window cut at a change point, two weighted stamps); otherwise
  // the prior slope carries the mean to x = 0.
  if ((two_stamps_suffice ? s.nw >= 2 : n_eff >= 2) && sxx > s.w) {
    // The prior slope enters as a pseudo-observation: weights are inverse variances, so
    // its precision adds to Σw(x − x̄)².
    f.slope = (s.xy - s.x * ym + prior_precision * prior_slope) * inv_sxx_prior;
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
  const double var = n_eff > k ? rss * inv_w * n_eff / (n_eff - k) : rss * inv_w;
  const double lever = f.fitted_slope && sxx > 0 ? xm * xm * s.w / sxx : 0;
  f.esterror = std::sqrt(var * (1 + lever) * inv_n_eff);
  f.slope_esterror = f.fitted_slope ? std::sqrt(var * s.w * inv_n_eff * inv_sxx_prior) : 0;
  // The published 1σ. Weights are inverse variances up to one common scale c, estimated as
  // Σw r² / (n − k) over the n weighted stamps, so the offset's variance is c/Σw (the
  // residual variance over the effective count, above, overstates it by (n − k)/(n_eff − k)
  // when weights are unequal: a conservative figure for comparing windows, not a calibrated
  // one). With fewer than two residual degrees of freedom the residuals say nothing (two
  // stamps fit a line exactly): the window's best stamp's own variance stands in.
  const double dof = s.nw > k ? s.nw - k : 1;
  const double c = rss / dof;
  double stat_var = c * (1 + lever) * inv_w;
  if (s.nw < k + 2) stat_var = std::max(stat_var, (s.min_e * s.min_e + floor_s * floor_s) / 12);
  // To it adds what the residuals cannot show: the stamps' queueing excess E may split
  // between the directions in a way common to all of them (asymmetric queues). The naive
  // offset then grows with E, as α·E with α = (mean forward share − ½) in [−½, ½], and the
  // line, which goes through the stamps' weighted mean E, is off by α·mean(E). The residuals'
  // slope against E estimates α (variance c/See); combined with the prior α ~ (0, 1/12) (a
  // uniform split, as a Gaussian of the same variance), the bias counts the posterior E[α²]:
  // 1/12 for a window too short to tell, α̂² + σ²(α̂) for one that can, at most ¼.
  constexpr double kPriorAlpha2 = 1.0 / 12;
  const double e_mean = s.we * inv_w * phat;  // s
  const double see = (s.wee - s.we * s.we * inv_w) * phat * phat;
  double alpha2 = kPriorAlpha2;
  if (s.nw >= k + 2 && see > 0) {
    const double sxe = (s.wex - s.x * s.we * inv_w) * phat;
    const double sey = (s.wey - s.y * s.we * inv_w) * phat;
    const double alpha = (sey - f.slope * sxe) / see;
    const double alpha_var = c / see;
    const double shrink = kPriorAlpha2 / (kPriorAlpha2 + alpha_var);
    const double post_mean = alpha * shrink;
    alpha2 = std::min(0.25, post_mean * post_mean + alpha_var * shrink);
  }
  f.published_esterror = std::sqrt(stat_var + alpha2 * e_mean * e_mean);
  return f;
}

}  // namespace

namespace {

// Two lanes of doubles (SSE2 on x86-64, NEON on Arm): the pass takes two stamps at a time.
using v2d = double __attribute__((vector_size(16)));
using v2i = int64_t __attribute__((vector_size(16)));

v2d load2(const double* p) {
  v2d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
v2d splat(double x) { return v2d{x, x}; }
double lanes(v2d v) { return v[0] + v[1]; }

// The sums of Sums, each split over two lanes (even and odd stamps of the walk).
struct LaneSums {
  v2d w{}, x{}, xx{}, y{}, xy{}, yy{}, ww{}, nw{}, we{}, wee{}, wex{}, wey{};
  v2d min_excess = splat(INFINITY);  // over the weighted stamps, counts

  // The stamps' weights and excesses: what needs no counter or server time.
  void add_weights(v2d wt, v2d excess) {
    const v2i weighted = wt > splat(0.0);
    w += wt;
    ww += wt * wt;
    nw += std::bit_cast<v2d>(weighted & std::bit_cast<v2i>(splat(1.0)));
    we += wt * excess;
    wee += wt * excess * excess;
    const v2d e = std::bit_cast<v2d>((std::bit_cast<v2i>(excess) & weighted) |
                                     (std::bit_cast<v2i>(splat(INFINITY)) & ~weighted));
    min_excess = e < min_excess ? e : min_excess;  // minpd
  }
  // The line's sums. x = p̂·(Tf − Tf_newest) and y = naive_offset_diff() against the newest
  // stamp (stamp.hpp), with the counter differences taken of the exact doubles; and those of
  // x and y against the excess, for the residuals' trend with E.
  void add_points(v2d wt, v2d excess, v2d dta, v2d dtf, v2d dmid_hi, v2d dmid_lo, v2d phat, v2d half_phat) {
    const v2d px = phat * dtf;
    const v2d py = half_phat * (dta + dtf) - (dmid_hi + dmid_lo);
    const v2d wx = wt * px;
    const v2d wy = wt * py;
    x += wx;
    xx += wx * px;
    y += wy;
    xy += wx * py;
    yy += wy * py;
    const v2d we_ = wt * excess;
    wex += we_ * px;
    wey += we_ * py;
  }
};

}  // namespace

void fit_windows(const History<Stamp>& history, const FitPoints& points, uint64_t first_usable, uint64_t last,
                 const UncorrectedClock& clock, double prior_slope, double prior_slope_sigma, double floor_s,
                 const FitWindows& windows, bool relax_cut_windows,
                 std::array<LineFit, kMaxFitWindows>& out) {
  const double prior_precision = prior_slope_sigma > 0 ? 1 / (prior_slope_sigma * prior_slope_sigma) : 0;
  const long double theta0 = clock.naive_offset(history.at(last));
  // Everything per stamp is in double relative to the newest stamp: the only long double is
  // θ0 above.
  const auto phat = static_cast<double>(clock.period());
  const uint64_t oldest = std::max(first_usable, history.begin());
  const uint64_t available = last >= oldest ? last - oldest + 1 : 1;
  const std::size_t newest = points.position(last);
  const double *ta = points.ta(), *tf = points.tf(), *mid_hi = points.mid_hi(), *mid_lo = points.mid_lo(),
               *wt = points.weight(), *excess = points.excess();
  const v2d vphat = splat(phat), vhalf = splat(phat * 0.5);
  const v2d nta = splat(ta[newest]), ntf = splat(tf[newest]);
  const v2d nmid_hi = splat(mid_hi[newest]), nmid_lo = splat(mid_lo[newest]);
  LaneSums sums;
  uint64_t done = 0;  // stamps summed so far
  for (std::size_t k = 0; k < windows.count; ++k) {
    const uint64_t reach = std::min<uint64_t>(windows.length[k], available);
    if (reach > done) {
      // Pairs of stamps newest first; stamp d of the walk is at newest − d. Two loops, so
      // that each one's sums stay in registers.
      const uint64_t pairs_end = done + ((reach - done) & ~uint64_t{1});
      for (uint64_t d = done; d < pairs_end; d += 2) {
        const std::size_t at = newest - d - 1;
        sums.add_weights(load2(wt + at), load2(excess + at));
      }
      for (uint64_t d = done; d < pairs_end; d += 2) {
        const std::size_t at = newest - d - 1;
        sums.add_points(load2(wt + at), load2(excess + at), load2(ta + at) - nta, load2(tf + at) - ntf,
                        load2(mid_hi + at) - nmid_hi, load2(mid_lo + at) - nmid_lo, vphat, vhalf);
      }
      if (pairs_end < reach) {
        // The odd one out, in lane 0; lane 1 adds exact zeros (no weight, x = y = 0).
        const std::size_t at = newest - pairs_end;
        sums.add_weights(v2d{wt[at], 0.0}, v2d{excess[at], 0.0});
        sums.add_points(v2d{wt[at], 0.0}, v2d{excess[at], 0.0}, v2d{ta[at], ta[newest]} - nta,
                        v2d{tf[at], tf[newest]} - ntf, v2d{mid_hi[at], mid_hi[newest]} - nmid_hi,
                        v2d{mid_lo[at], mid_lo[newest]} - nmid_lo, vphat, vhalf);
      }
      done = reach;
    }
    Sums s;
    s.w = lanes(sums.w);
    s.x = lanes(sums.x);
    s.xx = lanes(sums.xx);
    s.y = lanes(sums.y);
    s.xy = lanes(sums.xy);
    s.yy = lanes(sums.yy);
    s.ww = lanes(sums.ww);
    s.nw = lanes(sums.nw);
    s.we = lanes(sums.we);
    s.wee = lanes(sums.wee);
    s.wex = lanes(sums.wex);
    s.wey = lanes(sums.wey);
    s.n = static_cast<uint32_t>(done);
    // p̂ > 0, so the smallest excess gives the smallest point error.
    s.min_e = phat * std::min(sums.min_excess[0], sums.min_excess[1]);
    out[k] = solve(s, theta0, prior_slope, prior_precision, phat, floor_s,
                   relax_cut_windows && windows.length[k] > available);
  }
}

}  // namespace ffclock::core::estimator
