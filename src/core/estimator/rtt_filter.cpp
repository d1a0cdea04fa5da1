// SPDX-License-Identifier: BSD-2-Clause
// Minimum-RTT filter: running minimum, forgetting, upward level shifts.
#include "core/estimator/rtt_filter.hpp"

#include <algorithm>
#include <cstdint>

namespace ffclock::core::estimator {

namespace {

// Enters `rtt` into the two lowest, `low` ≤ `second`.
void keep_two_lowest(uint64_t rtt, uint64_t& low, uint64_t& second) {
  if (rtt < low) {
    second = low;
    low = rtt;
  } else if (rtt < second) {
    second = rtt;
  }
}

}  // namespace

void RttFilter::start(const Stamp& first, uint64_t index) {
  rtt_hat_ = first.rtt;
  rtt_second_ = UINT64_MAX;
  next_rtt_hat_ = first.rtt;
  next_second_ = UINT64_MAX;
  next_best_ = first;
  start_index_ = index;
  search_start_ = index;
  searching_ = false;
}

namespace {

// The minimum RTT of stamps [first, last] if every one of them is above `level`, else 0.
uint64_t min_above(const History<Stamp>& history, uint64_t first, uint64_t last, uint64_t level) {
  // Newest first, stopping at the first RTT within the level (no shift, the usual case).
  uint64_t m = UINT64_MAX;
  history.visit_back(first, last, [&](const Stamp& h) {
    m = std::min(m, h.rtt);
    return m > level;
  });
  return m > level ? m : 0;
}

}  // namespace

RttFilter::Update RttFilter::add(History<Stamp>& history, uint64_t index, const Windows& windows, bool full,
                                 const ShiftTest& shift) {
  Update up;
  Stamp& s = history.at(index);
  const uint64_t n = index - start_index_;  // stamps since start

  // Forgetting: from half the top window on, a second minimum is searched; at each later
  // half-window boundary it replaces RTT̂, so RTT̂ is the minimum over 1/2..1 top window.
  const uint64_t half_top = std::max<uint64_t>(1, windows.top / 2);
  if (n > 0 && n % half_top == 0) {
    if (searching_) {
      rtt_hat_ = next_rtt_hat_;
      rtt_second_ = next_second_;
      up.forgot = true;
    }
    searching_ = true;
    search_start_ = index;
    next_rtt_hat_ = s.rtt;
    next_second_ = UINT64_MAX;
    next_best_ = s;
  } else if (searching_) {
    keep_two_lowest(s.rtt, next_rtt_hat_, next_second_);
    // The period reference is searched only over a warm-up-long span (record_packet_j).
    if (index - search_start_ < windows.warmup && s.rtt < next_best_.rtt) next_best_ = s;
  }

  keep_two_lowest(s.rtt, rtt_hat_, rtt_second_);  // downward shifts are absorbed here
  s.rtt_hat = rtt_hat_;
  if (!full) return up;

  // Upward shift: the minimum of the last shift_win RTTs sits clearly above RTT̂, or that
  // of the last few far above it.
  uint64_t shift_min = 0;
  uint64_t proven = 0;  // stamps known to be after the shift
  if (shift.quick_stamps > 0 && n + 1 >= shift.quick_stamps) {
    shift_min = min_above(history, std::max(history.begin(), index + 1 - shift.quick_stamps), index,
                          rtt_hat_ + shift.quick_ticks);
    proven = shift.quick_stamps;
  }
  if (shift_min == 0 && n + 1 >= windows.shift) {
    shift_min = min_above(history, std::max(history.begin(), index + 1 - windows.shift), index,
                          rtt_hat_ + shift.ticks);
    proven = windows.shift;
  }
  if (shift_min != 0) {
    rtt_hat_ = shift_min;
    rtt_second_ = UINT64_MAX;
    if (next_rtt_hat_ < shift_min) {
      next_rtt_hat_ = shift_min;
      next_second_ = UINT64_MAX;
    }
    // Rewrite RTT̂ over the stamps after the shift (those of the window that proved it) in
    // the offset window, so that the offset estimator judges them against the new level.
    const uint64_t rewrite = std::min(proven, windows.offset);
    for (uint64_t j = std::max(history.begin(), index + 1 - rewrite); j <= index; ++j)
      history.at(j).rtt_hat = rtt_hat_;
    up.shifted_up = true;
    up.after_shift = index + 1 - proven;
  }
  return up;
}

}  // namespace ffclock::core::estimator
