// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What extrapolating a published line for long costs (an ffclock addition, issue 13). The
// page's esterror grows linearly with the age a of its anchor (e0 + a·σ_rate): right between
// stamps, too slow in an outage, where the oscillator's wander takes over. A random walk of
// the frequency (diffusion q) adds q·a³/3 to the variance, a steady drift of it ḟ²a⁴/4, and
// a thermal cycle something in between; the fits' 1σ and the misses of new stamps (at the
// poll's age) see none of it.
//
// So it is measured, as chrony measures its skew from what happened rather than from a model:
// every `snapshot_s` the published line is kept (a ring of `kSnapshots`); each later line
// tells how far the kept ones missed it. For the ages A_k = first_age_s · 2^k the mean of
// miss² − (the newer line's own variance), forgotten over `memory_s`, is the variance V(A_k)
// of a line extrapolated A_k seconds. Between those ages V is interpolated as a power law;
// below the first as a⁴ (the fastest growth a drift gives, so it vanishes at the ages the
// misses of new stamps already calibrate), beyond the last as a³ (the random walk).

#include <array>
#include <cstddef>
#include <cstdint>

namespace ffclock::core::estimator {

struct HoldoverVarianceConfig {
  double snapshot_s = 128;   // one kept line per this many seconds
  double first_age_s = 256;  // A_0; A_k = A_0 · 2^k
  double memory_s = 86400;   // e-folding time of each age's mean
  double min_samples = 8;    // an age's mean counts from this many misses on
};

// A published line: its time at `anchor_counter` (s since the run's base) and its period.
struct HeldLine {
  uint64_t anchor_counter = 0;
  long double anchor_s = 0;
  long double local_period = 0;
};

class HoldoverVariance {
 public:
  static constexpr std::size_t kSnapshots = 64;  // 8192 s of kept lines at 128 s
  static constexpr std::size_t kAges = 6;        // 256 s .. 8192 s

  void start(const HoldoverVarianceConfig& config);
  // A new published line, out of warm-up, with the variance of its own offset at its anchor
  // (s²); `period` converts counter ticks to seconds (p̂).
  void observe(const HeldLine& line, double variance, long double period);
  // V(a): the variance (s²) of the error of a line extrapolated `age_s` seconds, as measured;
  // 0 while no age has enough misses.
  [[nodiscard]] double variance_at(double age_s) const;
  // The measured V at A_k (tests and diagnostics); 0 while not known.
  [[nodiscard]] double measured(std::size_t k) const;

 private:
  struct Age {
    double w = 0;   // forgotten weight of the misses
    double wy = 0;  // forgotten Σ w·(miss² − variance), normalised to the age A_k
    uint32_t n = 0;
  };
  // The known ages' V, made non-decreasing with age, with their ages: the points the power
  // law runs through.
  std::size_t curve(std::array<double, kAges>& ages, std::array<double, kAges>& v) const;

  HoldoverVarianceConfig config_;
  std::array<HeldLine, kSnapshots> kept_{};
  std::size_t count_ = 0;  // kept lines (at most kSnapshots)
  std::size_t next_ = 0;   // ring position of the next one
  std::array<Age, kAges> ages_{};
  uint64_t last_counter_ = 0;
  bool have_last_ = false;
};

}  // namespace ffclock::core::estimator
