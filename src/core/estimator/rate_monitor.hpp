#pragma once
// Observed rate variability (an ffclock addition, issue 13). RADclock assumes the counter's
// rate stays within a fixed RATE_ERR_BOUND of p̂ (0.5 ppm); every rate gate (the local-rate
// clamp, the period and offset sanity limits, the aging of the hard bound) derives from it.
// An oscillator that moves further (a thermal cycle, a load step) is then refused by the very
// gates that should let the change through. Here the bound is measured instead: at each stamp
// the offset-fit candidates say how far the local rate is from p̂, and the part of that
// departure the data prove (|slope| − z·σ_slope, from a window with enough stamps) is the
// evidence. The envelope is the largest evidence seen, forgotten over `memory_s`; the rate
// bound is max(floor, margin · envelope). A quiet oscillator never produces evidence above
// the floor, so its gates stay where RADclock put them; a moving one widens them within a few
// stamps of the move.

#include <array>
#include <cstddef>

#include "core/estimator/offset_fit.hpp"

namespace ffclock::core::estimator {

struct RateMonitorConfig {
  double floor = 0.5e-6;     // the bound never goes below this (RADclock's RATE_ERR_BOUND)
  double margin = 1.5;       // bound = margin · envelope: room for the move still under way
  double z = 3;              // evidence = |slope| − z·σ_slope
  uint32_t min_stamps = 8;   // windows with fewer stamps give no evidence (their σ is unreliable)
  double memory_s = 86400;   // e-folding time of the envelope
};

class RateMonitor {
 public:
  void start(const RateMonitorConfig& config);
  // The fit candidates of the stamp at Cu time `now_s` (s, only differences matter).
  void observe(const std::array<LineFit, kMaxFitWindows>& fits, std::size_t count, double now_s);
  // Largest proven |local rate − p̂| (relative), forgotten over memory_s.
  double envelope() const { return envelope_; }
  // Bound on |true rate − p̂| (relative) for every rate gate.
  double rate_bound() const;
  // Evidence of the last observe() (for diagnostics and tests).
  double last_evidence() const { return last_evidence_; }

 private:
  RateMonitorConfig config_;
  double envelope_ = 0;
  double last_evidence_ = 0;
  double last_s_ = 0;
  bool have_last_ = false;
};

}  // namespace ffclock::core::estimator
