// SPDX-License-Identifier: BSD-2-Clause
// Kalman filter of time and rate under a random walk of the frequency (an integrated random
// walk of the time): predict x ← F x, P ← F P Fᵀ + Q over the gap dt, then correct by the stamp.
#include "core/estimator/kalman_line.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::estimator {

void KalmanLine::start(double wander, double scale_memory, double scale_memory_s) {
  *this = KalmanLine{};
  q_ = wander * wander;
  scale_memory_ = std::max(1.0, scale_memory);
  scale_memory_s_ = std::max(1.0, scale_memory_s);
}

void KalmanLine::restart(uint64_t counter, long double time_s, long double period, double time_sigma,
                         double rate_sigma) {
  started_ = true;
  counter_ = counter;
  time_s_ = time_s;
  period_ = period;
  p00_ = time_sigma * time_sigma;
  p01_ = 0;
  p11_ = rate_sigma * rate_sigma;
  stamps_ = 0;
}

KalmanLine::Covariance KalmanLine::predicted(double dt) const {
  return {p00_ + 2 * dt * p01_ + dt * dt * p11_ + q_ * dt * dt * dt / 3, p01_ + dt * p11_ + q_ * dt * dt / 2,
          p11_ + q_ * dt};
}

bool KalmanLine::update(uint64_t counter, long double time_s, double variance) {
  if (!started_ || counter <= counter_ || !(variance > 0) || !std::isfinite(variance)) return false;
  const long double span = period_ * static_cast<long double>(counter - counter_);
  const auto dt = static_cast<double>(span);
  const auto [n00, n01, n11] = predicted(dt);
  const long double predicted_time = time_s_ + span;
  const auto innovation = static_cast<double>(time_s - predicted_time);
  const double s = n00 + variance;
  const double k0 = n00 / s;
  const double k1 = n01 / s;
  counter_ = counter;
  time_s_ = predicted_time + static_cast<long double>(k0 * innovation);
  // The rate's correction is folded into the period, so the rate state's mean stays 0.
  period_ *= 1 + static_cast<long double>(k1 * innovation);
  p00_ = n00 - k0 * n00;
  p01_ = n01 - k0 * n01;
  p11_ = n11 - k1 * n01;
  ++stamps_;
  // Normalised innovations: a mean, with a prior of one stamp at the model's scale.
  // Forgotten over the shorter memory (T / (T + dt) is exp(−dt / T) to first order, without
  // an exp per filter and stamp).
  const double keep = std::min(1 - 1 / scale_memory_, scale_memory_s_ / (scale_memory_s_ + dt));
  const double nis = innovation * innovation / s;
  scale_weight_ = keep * scale_weight_ + 1;
  scale_ += (nis - scale_) / (scale_weight_ + 1);
  return true;
}

LineFit KalmanLine::line(uint64_t at, const UncorrectedClock& clock) const {
  LineFit f;
  if (!started_ || at < counter_) return f;
  const long double span = period_ * static_cast<long double>(at - counter_);
  const auto dt = static_cast<double>(span);
  f.theta = clock.at(at) - (time_s_ + span);
  f.slope = static_cast<double>(1 - period_ / clock.period());
  // Only ever narrower than the model: heavy-tailed queues make the mean innovation large,
  // and the model with its floor is conservative already.
  const double scale = std::min(scale_, 1.0);
  const Covariance p = predicted(dt);
  f.esterror = std::sqrt(scale * std::max(0.0, p.p00));
  f.published_esterror = f.esterror;
  f.slope_esterror = std::sqrt(scale * std::max(0.0, p.p11));
  f.x_mean = 0;  // a changed slope pivots about the newest stamp
  f.stamps = stamps_;
  f.fitted_slope = stamps_ >= 2;
  f.valid = stamps_ >= 1;
  return f;
}

}  // namespace ffclock::core::estimator
