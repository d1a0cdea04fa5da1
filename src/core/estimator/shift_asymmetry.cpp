// SPDX-License-Identifier: BSD-2-Clause
// The offset a level shift brought with it.
#include "core/estimator/shift_asymmetry.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::estimator {

void ShiftAsymmetry::shifted_up(uint64_t old_rtt, uint64_t new_rtt) {
  if (new_rtt <= old_rtt) return;
  if (rise_ == 0) base_rtt_ = old_rtt;  // a second rise adds to the first
  rise_ = new_rtt - base_rtt_;
  measuring_ = true;
}

void ShiftAsymmetry::published(double jump_s, double noise_var, double period_s) {
  if (!measuring_) return;
  measuring_ = false;
  const double half_rise = 0.5 * static_cast<double>(rise_) * period_s;
  // J² − σ² estimates the true jump's square: a symmetric shift's J is the lines' noise. Only
  // what lies beyond 2σ counts: the first line after a shift stands on a stamp or two, and a
  // symmetric shift's 2σ jump said √3·σ (7 µs on `lan`, for 2 h, where the clock was 1.5 off).
  const double j2 =
      std::isfinite(jump_s) ? jump_s * jump_s - 4 * std::max(0.0, noise_var) : half_rise * half_rise;
  bias_ = std::max(bias_, std::min(std::sqrt(std::max(0.0, j2)), half_rise));
}

void ShiftAsymmetry::rtt(uint64_t rtt_hat) {
  if (rise_ > 0 && rtt_hat < base_rtt_ + rise_ / 2) reset();
}

}  // namespace ffclock::core::estimator
