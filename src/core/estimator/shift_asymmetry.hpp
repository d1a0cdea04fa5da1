// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The offset a level shift brought with it (an ffclock addition, issue 13). When the RTT rises
// by D, the path's asymmetry may have changed by anything within ±D/2, and no two-way method
// can tell how: a symmetric rise leaves the naive offsets where they were, a one-way rise
// moves them by D/2, and the clock, fitted to the new stamps, follows. The size of that move
// is what the clock may now be off by, so it joins the published 1σ until the RTT comes back
// down (the old path returns, and the offsets with it). It is measured as the jump J of the
// first line published after the shift against the line before it, less the two lines' own
// noise (√(J² − 4σ²): a symmetric shift adds nothing unless its jump is beyond 2σ), and at
// most D/2.

#include <cstdint>

namespace ffclock::core::estimator {

class ShiftAsymmetry {
 public:
  void reset() { *this = ShiftAsymmetry{}; }
  // An upward level shift took RTT̂ from `old_rtt` to `new_rtt` (counts).
  void shifted_up(uint64_t old_rtt, uint64_t new_rtt);
  // A line was published `jump_s` away from the previous one's prediction, with `noise_var`
  // the variance the two lines' own errors give the jump (s²); `period_s` is p̂.
  void published(double jump_s, double noise_var, double period_s);
  // RTT̂ on each stamp: back below the middle of the rise, the old path has returned.
  void rtt(uint64_t rtt_hat);
  // The offset the shift may have brought (s), 0 when none is in force.
  [[nodiscard]] double bias() const { return bias_; }

 private:
  uint64_t base_rtt_ = 0;   // RTT̂ before the first shift still in force
  uint64_t rise_ = 0;       // RTT̂ − base_rtt_ after the latest shift (counts); 0: none in force
  bool measuring_ = false;  // the first line after the shift is still to come
  double bias_ = 0;
};

}  // namespace ffclock::core::estimator
