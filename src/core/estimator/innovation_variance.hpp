// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// How far the published line actually misses (an ffclock addition, issue 13). The line fit's
// 1σ comes from one window's residuals, which miss what moves the clock between fits: the
// oscillator's wander and thermal swings (a curvature the line does not have), the choice of
// window itself, and the residual scale's own noise when a window has few stamps (a lucky
// small scale is what puts errors beyond 3σ). Each new stamp's miss of the published line
// measures all of it, blurred by the stamp's own error: its variance is V + V_stamp, with V
// the line's error variance at the stamp's age and V_stamp = E²/12 (the excess E split
// uniformly between the directions). V is estimated as the weighted mean of miss² − V_stamp
// over recent stamps, with inverse-variance weights 1/(V_stamp + E0²/12) that do not depend
// on the estimate (weights that did would keep a transient's misses for hours), forgotten
// with a time constant of `memory` stamps. Stamps with an excess above `select_ratio` times
// the typical one are left out: in asymmetric queues their offsets carry a bias the uniform
// model does not, and congestion spikes would dominate the mean.
//
// The line's error grows with the age a of its anchor as V(a) = V0 + R·a², R the variance of
// its rate. Stamps that arrive at one age (a steady poll) only show V at that age, which is
// then V0 (R = 0). When their ages spread (lost replies, a poll that backs off after a
// kiss-o'-death, an outage) the misses' trend with a² gives R as well, so a clock left to run
// longer than usual says how its error grows.

#include <cstdint>

namespace ffclock::core::estimator {

struct InnovationVarianceConfig {
  double memory = 128;      // e-folding memory, in observed stamps
  double select_ratio = 2;  // stamps with E above select_ratio · typical E are not observed
  double floor_s = 15e-6;   // E0: the stamps' irreducible noise (offset_weight_floor_s)
  // R is fitted when the weighted spread (standard deviation) of the stamps' a² exceeds this
  // fraction of their mean; otherwise the ages say nothing about growth.
  double age_spread = 0.1;
};

class InnovationVariance {
 public:
  void start(const InnovationVarianceConfig& config);
  // Forgets every observation (the configuration stays).
  void clear() { start(config_); }
  // A stamp with point error `e_s` missed the published line by `miss_s`, `age_s` after the
  // line's anchor; `typical_e_s` is the path's typical point error. Returns whether the stamp
  // was observed.
  bool observe(double miss_s, double e_s, double typical_e_s, double age_s);
  // V0: the line's error variance at its anchor (s²); 0 until a stamp was observed.
  [[nodiscard]] double variance() const { return variance_; }
  // R: the variance of the line's rate (relative, (s/s)²); 0 unless the ages spread.
  [[nodiscard]] double rate_variance() const { return rate_variance_; }
  [[nodiscard]] bool known() const { return w_ > 0; }
  // The standard error of variance(): the observed spread of miss² − V_stamp over the
  // effective number of stamps behind the mean.
  [[nodiscard]] double variance_stderr() const;

 private:
  InnovationVarianceConfig config_;
  // Forgotten sums over the observed stamps of w, w·x, w·x², w·y and w·x·y, with x = a² and
  // y = miss² − V_stamp.
  double w_ = 0, wx_ = 0, wxx_ = 0, wy_ = 0, wxy_ = 0;
  double ww_ = 0, wyy_ = 0;  // Σ w² and Σ w·y², for the mean's standard error
  double variance_ = 0;
  double rate_variance_ = 0;
};

}  // namespace ffclock::core::estimator
