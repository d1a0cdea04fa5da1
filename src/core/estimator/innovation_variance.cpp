// SPDX-License-Identifier: BSD-2-Clause
// The published line's error variance from its misses of new stamps.
#include "core/estimator/innovation_variance.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::estimator {

void InnovationVariance::start(const InnovationVarianceConfig& config) {
  config_ = config;
  config_.memory = std::max(1.0, config_.memory);
  w_ = wx_ = wxx_ = wy_ = wxy_ = 0;
  ww_ = wyy_ = 0;
  variance_ = 0;
  rate_variance_ = 0;
}

bool InnovationVariance::observe(double miss_s, double e_s, double typical_e_s, double age_s) {
  if (!std::isfinite(miss_s) || !std::isfinite(e_s) || !(e_s >= 0) ||
      !(e_s <= config_.select_ratio * typical_e_s) || !std::isfinite(age_s) || !(age_s >= 0))
    return false;
  const double stamp_var = e_s * e_s / 12;
  const double v = stamp_var + config_.floor_s * config_.floor_s / 12;
  const double w = v > 0 ? 1 / v : 1e18;  // a noiseless stamp (floor 0, at the minimum RTT)
  const double keep = 1 - 1 / config_.memory;
  const double x = age_s * age_s;
  const double y = miss_s * miss_s - stamp_var;
  w_ = keep * w_ + w;
  wx_ = keep * wx_ + w * x;
  wxx_ = keep * wxx_ + w * x * x;
  wy_ = keep * wy_ + w * y;
  wxy_ = keep * wxy_ + w * x * y;
  ww_ = keep * keep * ww_ + w * w;
  wyy_ = keep * wyy_ + w * y * y;
  const double x_mean = wx_ / w_;
  const double sxx = wxx_ - wx_ * x_mean;  // Σ w (x − x̄)²
  const double spread = config_.age_spread * x_mean;
  if (sxx > spread * spread * w_) {
    rate_variance_ = std::max(0.0, (wxy_ - x_mean * wy_) / sxx);
  } else {
    rate_variance_ = 0;
  }
  // A mean of differences can go below zero when the line is better than the stamps' noise.
  variance_ = std::max(0.0, (wy_ - rate_variance_ * wx_) / w_);
  return true;
}

double InnovationVariance::variance_stderr() const {
  if (!(w_ > 0) || !(ww_ > 0)) return 0;
  const double mean = wy_ / w_;
  const double spread = std::max(0.0, wyy_ / w_ - mean * mean);
  const double n_eff = w_ * w_ / ww_;
  return std::sqrt(spread / n_eff);
}

}  // namespace ffclock::core::estimator
