// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Minimum-RTT tracking (RADclock's process_RTT_warmup / process_RTT_full): a running minimum
// RTT̂ with forgetting over the top window, upward level-shift detection over the shift
// window, and absorption of downward shifts by the minimum itself. RTTs stay in counter
// counts so that the filter does not depend on p̂.

#include <cstdint>

#include "core/estimator/history.hpp"
#include "core/estimator/stamp.hpp"
#include "core/estimator/windows.hpp"

namespace ffclock::core::estimator {

class RttFilter {
 public:
  struct Update {
    bool shifted_up = false;   // an upward level shift was detected on this stamp
    uint64_t after_shift = 0;  // with shifted_up: the first stamp known to be after the shift
    bool forgot = false;       // RTT̂ was replaced by the minimum of the last half top window
  };

  // Starts from the first stamp of a run.
  void start(const Stamp& first, uint64_t index);
  // What counts as an upward shift: the minimum of the last `windows.shift` RTTs above RTT̂
  // by `ticks`, or the minimum of the last `quick_stamps` above it by `quick_ticks` (a shift
  // far beyond the path's usual queueing needs no long window to be proven).
  struct ShiftTest {
    uint64_t ticks;
    uint64_t quick_stamps;
    uint64_t quick_ticks;
  };
  // Stamp `index` (just pushed into `history`, with rtt set) enters the filter; sets its
  // rtt_hat, and on an upward shift rewrites rtt_hat of the last `rewrite` stamps.
  Update add(History<Stamp>& history, uint64_t index, const Windows& windows, bool full,
             const ShiftTest& shift);

  uint64_t rtt_hat() const { return rtt_hat_; }
  // The gap between the two lowest RTTs behind RTT̂ (counts; 0 until there are two): the
  // order statistics' spacing, the scale of RTT̂'s own error above the path's minimum.
  uint64_t rtt_gap() const { return rtt_second_ == UINT64_MAX ? 0 : rtt_second_ - rtt_hat_; }
  // The minimum-RTT stamp of the current forgetting search (RADclock's next_pstamp), valid
  // when add() reported `forgot`.
  const Stamp& next_best() const { return next_best_; }

 private:
  uint64_t rtt_hat_ = 0;
  uint64_t rtt_second_ = UINT64_MAX;  // the second lowest RTT of the same stamps
  uint64_t next_rtt_hat_ = 0;
  uint64_t next_second_ = UINT64_MAX;
  Stamp next_best_;
  uint64_t start_index_ = 0;
  uint64_t search_start_ = 0;  // index where the current forgetting search began
  bool searching_ = false;
};

}  // namespace ffclock::core::estimator
