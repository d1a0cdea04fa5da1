// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A FIFO of tasks linked through a hook inside each task: queueing and dequeuing never
// allocate, and removal from the middle (a cancelled waiter) is O(1). A hook is in at most
// one list at a time.

#include <cassert>
#include <cstddef>

namespace ffclock::runtime {

struct QueueHook {
  QueueHook* prev = nullptr;
  QueueHook* next = nullptr;
  [[nodiscard]] bool linked() const { return next != nullptr; }
};

// T derives from QueueHook.
template <class T>
class IntrusiveList {
 public:
  IntrusiveList() { head_.prev = head_.next = &head_; }
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;

  [[nodiscard]] bool empty() const { return head_.next == &head_; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] T* front() const { return empty() ? nullptr : static_cast<T*>(head_.next); }
  // The first item of a non-empty list.
  [[nodiscard]] T& first() const {
    assert(!empty());
    return static_cast<T&>(*head_.next);
  }

  void push_back(T* item) {
    QueueHook* h = item;
    assert(!h->linked());
    h->prev = head_.prev;
    h->next = &head_;
    head_.prev->next = h;
    head_.prev = h;
    ++size_;
  }
  T* pop_front() {
    T* item = front();
    if (item != nullptr) erase(item);
    return item;
  }
  void erase(T* item) {
    QueueHook* h = item;
    assert(h->linked());
    h->prev->next = h->next;
    h->next->prev = h->prev;
    h->prev = h->next = nullptr;
    --size_;
  }

 private:
  QueueHook head_;
  std::size_t size_ = 0;
};

}  // namespace ffclock::runtime
