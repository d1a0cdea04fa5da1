// SPDX-License-Identifier: BSD-2-Clause
#include "core/estimator/holdover_variance.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace ffclock::core::estimator {

namespace {
constexpr double kBelowExponent = 4;   // a drift of the frequency: error ∝ a²
constexpr double kBeyondExponent = 3;  // a random walk of it: error ∝ a^1.5
}  // namespace

void HoldoverVariance::start(const HoldoverVarianceConfig& config) {
  config_ = config;
  count_ = 0;
  next_ = 0;
  ages_ = {};
  have_last_ = false;
}

void HoldoverVariance::observe(const HeldLine& line, double variance, long double period) {
  if (have_last_) {
    const double since =
        static_cast<double>(period * static_cast<long double>(line.anchor_counter - last_counter_));
    if (since < config_.snapshot_s) return;
    const double keep = std::exp(-since / config_.memory_s);
    for (Age& a : ages_) {
      a.w *= keep;
      a.wy *= keep;
    }
  }
  // The kept lines' ages, once (long double products: each age was computed for every A_k).
  std::array<double, kSnapshots> kept_age{};
  for (std::size_t j = 0; j < count_; ++j)
    kept_age[j] =
        static_cast<double>(period * static_cast<long double>(line.anchor_counter - kept_[j].anchor_counter));
  double target = config_.first_age_s;
  for (Age& a : ages_) {
    // The kept line whose age is nearest A_k, within [0.75, 1.5]·A_k.
    double best_age = 0;
    std::size_t best = 0;
    for (std::size_t j = 0; j < count_; ++j) {
      const double age = kept_age[j];
      if (age < 0.75 * target || age > 1.5 * target) continue;
      if (best_age > 0 && std::fabs(age - target) >= std::fabs(best_age - target)) continue;
      best_age = age;
      best = j;
    }
    if (best_age > 0) {
      const HeldLine& old = kept_[best];
      const uint64_t ticks = line.anchor_counter - old.anchor_counter;
      const auto miss = static_cast<double>(
          old.anchor_s + static_cast<long double>(ticks) * old.local_period - line.anchor_s);
      const double scale = std::pow(target / best_age, kBeyondExponent);
      a.w += 1;
      a.wy += (miss * miss - variance) * scale;
      ++a.n;
    }
    target *= 2;
  }
  kept_[next_] = line;
  next_ = (next_ + 1) % kSnapshots;
  if (count_ < kSnapshots) ++count_;
  last_counter_ = line.anchor_counter;
  have_last_ = true;
}

double HoldoverVariance::measured(std::size_t k) const {
  if (k >= kAges) return 0;
  const Age& a = ages_[k];
  if (a.n < config_.min_samples || a.w <= 0) return 0;
  return std::max(0.0, a.wy / a.w);
}

std::size_t HoldoverVariance::curve(std::array<double, kAges>& ages, std::array<double, kAges>& v) const {
  std::size_t n = 0;
  double age = config_.first_age_s;
  double highest = 0;
  for (std::size_t k = 0; k < kAges; ++k, age *= 2) {
    const double m = measured(k);
    if (m <= 0) continue;
    // A longer extrapolation never costs less: a noisy mean that says so is lifted.
    highest = std::max(highest, m);
    ages[n] = age;
    v[n] = highest;
    ++n;
  }
  return n;
}

double HoldoverVariance::variance_at(double age_s) const {
  std::array<double, kAges> ages{}, v{};
  const std::size_t n = curve(ages, v);
  if (n == 0 || age_s <= 0) return 0;
  // The power law through the two points around age_s, or the bounding exponents outside.
  if (age_s <= ages[0]) return v[0] * std::pow(age_s / ages[0], kBelowExponent);
  if (age_s >= ages[n - 1]) return v[n - 1] * std::pow(age_s / ages[n - 1], kBeyondExponent);
  std::size_t k = 1;
  while (ages[k] < age_s) ++k;
  const double exponent = std::log(v[k] / v[k - 1]) / std::log(ages[k] / ages[k - 1]);
  return v[k - 1] * std::pow(age_s / ages[k - 1], exponent);
}

}  // namespace ffclock::core::estimator
