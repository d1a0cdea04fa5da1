// SPDX-License-Identifier: BSD-2-Clause
// Prediction-error scores of the offset-fit windows.
#include "core/estimator/window_selector.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::estimator {

void WindowSelector::start(double memory) {
  lines_ = {};
  score_ = {};
  scored_ = 0;
  decay_ = 1.0 / std::max(1.0, memory);
}

void WindowSelector::score(const Stamp& s, const UncorrectedClock& clock, double weight) {
  if (!lines_[0].valid || !(weight > 0)) return;
  const long double cu = clock.at(s.tf);
  const long double theta = clock.naive_offset(s);
  for (std::size_t k = 0; k < kMaxFitWindows; ++k) {
    const Line& l = lines_[k];
    if (!l.valid) continue;
    const long double predicted =
        cu -
        (l.anchor_s + l.period * static_cast<long double>(static_cast<int64_t>(s.tf - l.anchor_counter)));
    const auto err = static_cast<double>(theta - predicted);
    score_[k] = (1 - decay_) * score_[k] + decay_ * weight * err * err;
  }
  scored_ = (1 - decay_) * scored_ + decay_;
}

void WindowSelector::remember(const std::array<LineFit, kMaxFitWindows>& fits, std::size_t count,
                              uint64_t anchor_counter, const UncorrectedClock& clock) {
  const long double cu = clock.at(anchor_counter);
  for (std::size_t k = 0; k < kMaxFitWindows; ++k) {
    Line& l = lines_[k];
    l.valid = k < count && fits[k].valid;
    if (!l.valid) continue;
    l.anchor_counter = anchor_counter;
    l.anchor_s = cu - fits[k].theta;
    l.period = clock.period() * (1 - static_cast<long double>(fits[k].slope));
  }
}

bool WindowSelector::ready() const {
  // Scores need a few dozen stamps before their differences mean anything.
  return scored_ / decay_ >= std::min(32.0, 0.5 / decay_);
}

std::array<double, kMaxFitWindows> WindowSelector::mix_weights(
    std::size_t best, double sharpness, const std::array<bool, kMaxFitWindows>& usable) const {
  std::array<double, kMaxFitWindows> w{};
  if (!ready() || best >= kMaxFitWindows || !usable[best] || !lines_[best].valid || !(score_[best] > 0)) {
    if (best < kMaxFitWindows) w[best] = 1;
    return w;
  }
  for (std::size_t k = 0; k < kMaxFitWindows; ++k)
    if (usable[k] && lines_[k].valid) w[k] = std::exp(-sharpness * (score_[k] / score_[best] - 1));
  w[best] = 1;
  return w;
}

std::size_t WindowSelector::choose(const std::array<LineFit, kMaxFitWindows>& fits, std::size_t count,
                                   std::size_t default_index, const FitWindows& windows) const {
  std::size_t fallback = 0;
  for (std::size_t k = 0; k < count && k <= default_index; ++k)
    if (fits[k].valid && fits[k].stamps >= windows.length[k]) fallback = k;
  if (!ready()) return fallback;
  std::size_t best = fallback;
  for (std::size_t k = 0; k < count; ++k)
    if (fits[k].valid && lines_[k].valid && score_[k] < score_[best]) best = k;
  return best;
}

}  // namespace ffclock::core::estimator
