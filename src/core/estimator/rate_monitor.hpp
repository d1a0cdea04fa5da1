// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Observed rate variability (an ffclock addition, issue 13). RADclock assumes the counter's
// rate stays within a fixed RATE_ERR_BOUND of p̂ (0.5 ppm); every rate gate (the local-rate
// clamp, the period and offset sanity limits, the aging of the hard bound) derives from it.
// An oscillator that moves further (a thermal cycle, a load step) is then refused by the very
// gates that should let the change through. Here the bound is measured instead: at each stamp
// the offset-fit candidates say how far the local rate is from p̂, and the part of that
// departure the data prove (|slope| − z·σ_slope, from a window with enough stamps) and p̂'s
// own error does not explain is the evidence. The envelope is the largest evidence seen, forgotten over
// `memory_s`; the rate bound is max(floor, margin · envelope). A quiet oscillator never produces evidence
// above the floor, so its gates stay where RADclock put them; a moving one widens them within a few stamps of
// the move.
//
// The fits need a few stamps to see a sudden step; the published line's innovation sees it at
// once. Whatever the path asymmetry, a stamp's naive offset lies within E/2 of its min-RTT
// offset (E its point error), so a stamp that misses the published line by more than
// E/2 + z·σ (σ: the stamp's irreducible noise and the line's own 1σ at that age) says that
// the rate moved by at least the excess over the age of the line. One such miss loosens the
// prior on the fit slope at once (the line may follow the move from the next stamp); two in a
// row on the same side (a run, in the sense of chrony's runs test) confirm it, and the
// smaller departure then opens the rate gates for `transient_memory_s` as well.

#include <array>
#include <cstddef>

#include "core/estimator/offset_fit.hpp"

namespace ffclock::core::estimator {

struct RateMonitorConfig {
  double floor = 0.5e-6;             // the bound never goes below this (RADclock's RATE_ERR_BOUND)
  double margin = 1.5;               // bound = margin · envelope: room for the move still under way
  double z = 3;                      // evidence = |slope| − z·σ_slope
  uint32_t min_stamps = 8;           // windows with fewer stamps give no evidence (their σ is unreliable)
  double memory_s = 86400;           // e-folding time of the envelope
  double transient_memory_s = 1024;  // e-folding time of the innovations' evidence
};

class RateMonitor {
 public:
  void start(const RateMonitorConfig& config);
  // The fit candidates of the stamp at Cu time `now_s` (s, only differences matter).
  // `explained` is the part of any departure p̂'s own error accounts for (its bound): early in
  // a run p̂ is rough and the local rate departs from it for that reason alone, which says
  // nothing about the oscillator and must not be remembered for a day.
  void observe(const std::array<LineFit, kMaxFitWindows>& fits, std::size_t count, double now_s,
               double explained);
  // A new stamp missed the published line by `miss` (s) `age_s` after the line's anchor;
  // `tolerance` is what noise and asymmetry can explain (E/2 + z·σ), `line_slope` the line's
  // rate relative to p̂. Returns true when the miss confirms a move of the rate.
  bool observe_innovation(double miss, double tolerance, double age_s, double line_slope, double now_s,
                          double explained);
  // Largest proven |local rate − p̂| (relative), forgotten over memory_s.
  double envelope() const { return envelope_; }
  // Proven |true rate − published line's rate| from innovations, forgotten over
  // transient_memory_s.
  double line_departure() const { return line_departure_; }
  // Bound on |true rate − p̂| (relative) for every rate gate.
  double rate_bound() const;
  // Evidence of the last observe() (for diagnostics and tests).
  double last_evidence() const { return last_evidence_; }

 private:
  RateMonitorConfig config_;
  void decay(double now_s);

  double envelope_ = 0;
  double transient_ = 0;  // |true rate − p̂| proven by innovations
  double line_departure_ = 0;
  double last_evidence_ = 0;
  double last_s_ = 0;
  bool have_last_ = false;
  double pending_ = 0;       // the last stamp's departure (signed) if it missed; 0: it did not
  double pending_rate_ = 0;  // its |true rate − p̂| evidence
};

}  // namespace ffclock::core::estimator
