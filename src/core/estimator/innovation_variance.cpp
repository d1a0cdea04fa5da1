// SPDX-License-Identifier: BSD-2-Clause
// The published line's error variance from its misses of new stamps.
#include "core/estimator/innovation_variance.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::estimator {

void InnovationVariance::start(const InnovationVarianceConfig& config) {
  config_ = config;
  config_.memory = std::max(1.0, config_.memory);
  sum_ = 0;
  weight_ = 0;
  variance_ = 0;
}

bool InnovationVariance::observe(double miss_s, double e_s, double typical_e_s) {
  if (!std::isfinite(miss_s) || !std::isfinite(e_s) || !(e_s >= 0) ||
      !(e_s <= config_.select_ratio * typical_e_s))
    return false;
  const double stamp_var = e_s * e_s / 12;
  const double v = stamp_var + config_.floor_s * config_.floor_s / 12;
  const double w = v > 0 ? 1 / v : 1e18;  // a noiseless stamp (floor 0, at the minimum RTT)
  const double keep = 1 - 1 / config_.memory;
  sum_ = keep * sum_ + w * (miss_s * miss_s - stamp_var);
  weight_ = keep * weight_ + w;
  // A mean of differences can go below zero when the line is better than the stamps' noise.
  variance_ = std::max(0.0, sum_ / weight_);
  return true;
}

}  // namespace ffclock::core::estimator
