// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A recursive candidate beside the fit windows (an ffclock addition): a Kalman filter of the
// clock's time and rate under a random walk of the frequency of a given strength. A window
// weighs its stamps alike up to its length and drops the rest at once; the filter forgets
// gradually, at the pace the assumed wander sets, which is what a wandering oscillator calls
// for, above all at long polls, where even a four-stamp window spans an hour. The wander's
// strength is not known, so the estimator runs a few filters a decade apart in variance and
// the window selector's prediction scores weigh them with the windows.
//
// The state is absolute: the time at the last stamp's Tf and the period (s per count), with
// the covariance of their errors (offset s, rate relative). p̂'s updates, which move every
// stamp's naive offset, do not disturb it, and its line converts to the fits' form
// (θ̂ and slope relative to p̂) at any moment.

#include <cstdint>

#include "core/estimator/offset_fit.hpp"
#include "core/estimator/stamp.hpp"

namespace ffclock::core::estimator {

class KalmanLine {
 public:
  // Forgets everything; `wander` is the σ of the relative frequency's random walk per √s;
  // the model's scale is learnt over `scale_memory` stamps or `scale_memory_s` seconds,
  // whichever is shorter.
  void start(double wander, double scale_memory, double scale_memory_s);
  // Restarts at a given line (time `time_s` at counter `counter`, `period` s per count) with
  // the errors' standard deviations (offset s, rate relative) and no correlation.
  void restart(uint64_t counter, long double time_s, long double period, double time_sigma,
               double rate_sigma);
  // A stamp says the time at counter `counter` is `time_s`, with variance `variance` (s²,
  // > 0). Returns false (and changes nothing) before restart() or for a counter not after
  // the last one.
  bool update(uint64_t counter, long double time_s, double variance);
  [[nodiscard]] bool started() const { return started_; }
  [[nodiscard]] uint32_t stamps() const { return stamps_; }
  // The filter's line as a fit candidate at counter `at` (the newest stamp's Tf, not before
  // the filter's last stamp), relative to `clock`: θ̂ = Cu − time there, slope 1 − period / p̂,
  // and the errors' σ predicted to there.
  [[nodiscard]] LineFit line(uint64_t at, const UncorrectedClock& clock) const;

 private:
  double q_ = 0;  // wander², relative frequency variance per second
  bool started_ = false;
  uint64_t counter_ = 0;
  long double time_s_ = 0;
  long double period_ = 0;
  double p00_ = 0, p01_ = 0, p11_ = 0;
  uint32_t stamps_ = 0;
  // The covariance predicted `dt` s after the last stamp: P + the integrated random walk's Q.
  struct Covariance {
    double p00, p01, p11;
  };
  [[nodiscard]] Covariance predicted(double dt) const;
  // The model's variances are right in shape (the wander against the stamps' variance sets
  // the gain) but not in scale: the stamps' variance model has a floor. The mean normalised
  // innovation ν²/S scales the published σ. It is a property of the path, so it is learnt
  // over many stamps: over 64, its sampling noise moved the 1σ by a quarter from one hour to
  // the next, uncorrelated with the error, and the tails went past 3σ (README).
  double scale_memory_ = 1024;
  double scale_memory_s_ = 16384;
  double scale_ = 1;
  double scale_weight_ = 0;
};

}  // namespace ffclock::core::estimator
