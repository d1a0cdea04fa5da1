// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Local line fits of the naive offsets (an ffclock addition replacing RADclock's separate
// θ̂ weighted average and local-period pair): for each candidate window of the last n stamps,
// a weighted least-squares line θ(x) = θ̂ + b·x through the stamps' naive offsets θ_j against
// Cu time x_j (s, 0 at the newest stamp), so the offset at the newest stamp and the local
// rate come from one fit. Weights are inverse variances: a stamp whose RTT exceeds RTT̂ by E
// has its offset error spread over ±E/2 (any split of the excess between the directions), so
// w = 12/(E² + E0²), E0 the irreducible stamp noise. The slope is pulled towards a prior (the
// published local rate) with a given σ, so that a short window that pins the offset well
// does not publish the wild slope a few stamps give. All candidates come from one pass from
// the newest stamp back (cumulative sums), in double relative to the newest stamp, over the
// stamps' FitPoints copy two at a time: the sums run in two lanes (even and odd stamps of
// the walk) that are added at each window's end.

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/estimator/fit_points.hpp"
#include "core/estimator/history.hpp"
#include "core/estimator/stamp.hpp"

namespace ffclock::core::estimator {

inline constexpr std::size_t kMaxFitWindows = 20;

// Candidate window lengths in stamps, ascending.
struct FitWindows {
  std::array<uint32_t, kMaxFitWindows> length{};
  std::size_t count = 0;
};
// Lengths from `shortest` to `longest`, about √2 apart.
[[nodiscard]] FitWindows make_fit_windows(uint32_t shortest, uint32_t longest);

struct LineFit {
  long double theta = 0;          // θ̂ of Cu at the newest stamp's Tf (s)
  double slope = 0;               // b = dθ/dt: Cu gains b s per s on true time
  double esterror = 0;            // estimated std of θ̂ (s), conservative: for comparing windows
  double published_esterror = 0;  // 1σ of θ̂ incl. the queueing-asymmetry bias (s), for readers
  double slope_esterror = 0;      // estimated std of b
  double x_mean = 0;              // weighted mean stamp time (s, ≤ 0): θ̂ moves by −Δb·x_mean
                                  // if the slope is changed afterwards
  double min_error = 0;           // smallest point error E in the window (RADclock's minET)
  uint32_t stamps = 0;            // stamps the window reached (fewer than its length early on)
  bool fitted_slope = false;      // false: too few/too close stamps, slope fixed at the prior
  bool valid = false;             // some stamp had weight
};

// The same line with its slope replaced (the fit is kept through the weighted centroid).
[[nodiscard]] inline LineFit with_slope(LineFit f, double slope) {
  f.theta += static_cast<long double>((f.slope - slope) * f.x_mean);
  f.slope = slope;
  return f;
}

// The candidates mixed with `weights` (unnormalised, ≥ 0; the one at `base` > 0): θ̂, slope and
// the weighted centroid are weighted means. The published 1σ figures treat the candidates as
// nested means, whose covariance is the longer (smaller-variance) one's variance:
// Var = Σᵢⱼ aᵢ aⱼ min(σᵢ², σⱼ²). Everything else, `esterror` (the conservative figure windows
// are compared by) included, is `base`'s.
[[nodiscard]] LineFit mix_fits(const std::array<LineFit, kMaxFitWindows>& fits, std::size_t count,
                               const std::array<double, kMaxFitWindows>& weights, std::size_t base);

// Weight of a stamp's naive offset: its inverse variance 12/(E² + floor²). Cached in
// Stamp::weight (recomputed when RTT̂ is rewritten).
// Stamps with E above cut_s get weight 0.
[[nodiscard]] double stamp_weight(const Stamp& s, const UncorrectedClock& clock, double floor_s, double cut_s,
                                  double soft_s);

// Fits every candidate window ending at `last` (not reaching before `first_usable`). Windows
// whose span is too short for a slope use `prior_slope`; longer ones combine it (σ
// prior_slope_sigma, 0 = no prior) with the data. `floor_s` is the stamps' irreducible noise
// E0 (stamp_weight()).
// `points` mirrors `history` (fit_points.hpp); `history` gives the newest stamp's θ0.
// A slope needs two effective stamps' worth of weight, except, with `relax_cut_windows`, in
// windows that `first_usable` cuts short (a change point's: any two weighted stamps will do).
void fit_windows(const History<Stamp>& history, const FitPoints& points, uint64_t first_usable, uint64_t last,
                 const UncorrectedClock& clock, double prior_slope, double prior_slope_sigma, double floor_s,
                 const FitWindows& windows, bool relax_cut_windows, std::array<LineFit, kMaxFitWindows>& out);

}  // namespace ffclock::core::estimator
