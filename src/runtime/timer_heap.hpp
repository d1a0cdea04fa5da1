// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The scheduler's timers: a binary min-heap of entries embedded in the tasks that wait, by
// (deadline, insertion order) so equal deadlines fire first-in first-out. Each entry knows
// its heap index, so a cancelled or woken-early waiter leaves in O(log n).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/mono_time.hpp"

namespace ffclock::runtime {

struct TimerEntry {
  static constexpr std::size_t kNotInHeap = ~std::size_t{0};
  MonoTime deadline{};
  uint64_t timer_seq = 0;
  std::size_t heap_index = kNotInHeap;
  [[nodiscard]] bool in_heap() const { return heap_index != kNotInHeap; }
};

class TimerHeap {
 public:
  [[nodiscard]] bool empty() const { return heap_.empty(); }
  [[nodiscard]] std::size_t size() const { return heap_.size(); }
  [[nodiscard]] TimerEntry* top() const { return heap_.empty() ? nullptr : heap_.front(); }

  // `e->deadline` must be set; `e` must not be in a heap.
  void push(TimerEntry* e);
  TimerEntry* pop();
  void erase(TimerEntry* e);
  void reserve(std::size_t n) { heap_.reserve(n); }

 private:
  [[nodiscard]] static bool before(const TimerEntry* a, const TimerEntry* b) {
    return a->deadline != b->deadline ? a->deadline < b->deadline : a->timer_seq < b->timer_seq;
  }
  void place(std::size_t i, TimerEntry* e) {
    heap_[i] = e;
    e->heap_index = i;
  }
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);

  std::vector<TimerEntry*> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace ffclock::runtime
