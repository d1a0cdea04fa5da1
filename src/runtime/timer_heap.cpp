// SPDX-License-Identifier: BSD-2-Clause
#include "runtime/timer_heap.hpp"

#include <cassert>

namespace ffclock::runtime {

void TimerHeap::push(TimerEntry* e) {
  assert(!e->in_heap());
  e->timer_seq = next_seq_++;
  heap_.push_back(e);
  e->heap_index = heap_.size() - 1;
  sift_up(heap_.size() - 1);
}

TimerEntry* TimerHeap::pop() {
  if (heap_.empty()) return nullptr;
  TimerEntry* e = heap_.front();
  erase(e);
  return e;
}

void TimerHeap::erase(TimerEntry* e) {
  assert(e->in_heap() && heap_[e->heap_index] == e);
  const std::size_t i = e->heap_index;
  TimerEntry* last = heap_.back();
  heap_.pop_back();
  e->heap_index = TimerEntry::kNotInHeap;
  if (i == heap_.size()) return;  // e was the last element
  place(i, last);
  if (i > 0 && before(last, heap_[(i - 1) / 2])) {
    sift_up(i);
  } else {
    sift_down(i);
  }
}

void TimerHeap::sift_up(std::size_t i) {
  TimerEntry* e = heap_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!before(e, heap_[parent])) break;
    place(i, heap_[parent]);
    i = parent;
  }
  place(i, e);
}

void TimerHeap::sift_down(std::size_t i) {
  TimerEntry* e = heap_[i];
  const std::size_t n = heap_.size();
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
    if (!before(heap_[child], e)) break;
    place(i, heap_[child]);
    i = child;
  }
  place(i, e);
}

}  // namespace ffclock::runtime
