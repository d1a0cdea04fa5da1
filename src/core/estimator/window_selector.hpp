// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Adaptive choice of the offset-fit window (an ffclock addition; RADclock fixes it at the SKM
// scale). Short windows follow oscillator wander, long ones average path noise; which wins
// depends on the oscillator and the path, so it is measured: each candidate's line from the
// previous exchange predicts the new stamp's naive offset, and the candidate with the smallest
// weighted mean squared prediction error (exponentially forgotten) is used. The new stamp's
// own noise adds the same to every candidate, so it does not bias the choice.
//
// Choosing one candidate throws away what the others know, and the choice flips between
// neighbours whose scores differ by less than their noise. So the published line mixes the
// candidates (mix_fits()), each weighted by exp(−sharpness · (score / best score − 1)): a
// likelihood of its prediction record relative to the best one's, as in Bayesian model
// averaging.

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/estimator/offset_fit.hpp"
#include "core/estimator/stamp.hpp"

namespace ffclock::core::estimator {

class WindowSelector {
 public:
  // Forgets all scores; `memory` is the forgetting time constant in scored stamps.
  void start(double memory);
  // Scores the lines of the previous exchange against a new stamp (not excluded).
  void score(const Stamp& s, const UncorrectedClock& clock, double weight);
  // Records the candidates' lines at `anchor_counter` for the next score().
  void remember(const std::array<LineFit, kMaxFitWindows>& fits, std::size_t count, uint64_t anchor_counter,
                const UncorrectedClock& clock);
  // Index of the candidate to publish: the best score once enough stamps were scored, else
  // the longest candidate not beyond `default_index` that is filled.
  [[nodiscard]] std::size_t choose(const std::array<LineFit, kMaxFitWindows>& fits, std::size_t count,
                                   std::size_t default_index, const FitWindows& windows) const;
  double scored_weight() const { return scored_; }
  // True once the scores mean something (choose() then follows them).
  [[nodiscard]] bool ready() const;
  // Mixing weights (unnormalised) of the candidates `usable` marks, relative to `best`
  // (weight 1); `best` alone unless ready() and `best` is usable.
  [[nodiscard]] std::array<double, kMaxFitWindows> mix_weights(
      std::size_t best, double sharpness, const std::array<bool, kMaxFitWindows>& usable) const;

 private:
  struct Line {
    uint64_t anchor_counter = 0;
    long double anchor_s = 0;  // Cu − θ̂ at the anchor: the candidate's time there
    long double period = 0;    // its slope, s per count
    bool valid = false;
  };
  std::array<Line, kMaxFitWindows> lines_{};
  std::array<double, kMaxFitWindows> score_{};
  double decay_ = 1.0 / 128;
  double scored_ = 0;  // stamps scored (count, forgotten like the scores)
};

}  // namespace ffclock::core::estimator
