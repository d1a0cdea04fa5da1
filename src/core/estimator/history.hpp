// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A fixed-capacity circular history indexed by a global, ever-increasing stamp index (as in
// RADclock's sync_history.c): entry i lives at slot i mod capacity, so only the last
// `capacity` entries are kept. Memory is allocated by resize() (construction, poll change),
// never by push().

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ffclock::core::estimator {

template <class T>
class History {
 public:
  History() = default;
  explicit History(std::size_t capacity) : slots_(capacity == 0 ? 1 : capacity) {}

  std::size_t capacity() const { return slots_.size(); }
  // Number of entries pushed since the last clear(); the next index to be pushed.
  uint64_t end() const { return end_; }
  // Oldest index still held.
  uint64_t begin() const { return end_ > capacity() ? end_ - capacity() : 0; }
  bool empty() const { return end_ == 0; }
  bool holds(uint64_t index) const { return index < end_ && index >= begin(); }

  void push(const T& value) {
    slots_[end_ % capacity()] = value;
    ++end_;
  }
  // Precondition: holds(index).
  const T& at(uint64_t index) const { return slots_[index % capacity()]; }
  T& at(uint64_t index) { return slots_[index % capacity()]; }
  const T& back() const { return at(end_ - 1); }
  // The slot of entry i; the previous entry is at slot(i) − 1, wrapping to capacity() − 1.
  std::size_t slot(uint64_t index) const { return static_cast<std::size_t>(index % capacity()); }
  // Calls f(entry) for indices last, last − 1, ..., first (all held), newest first, while f
  // returns true.
  template <class F>
  void visit_back(uint64_t first, uint64_t last, F f) const {
    if (first > last) return;
    std::size_t pos = slot(last);
    for (uint64_t n = last - first + 1; n > 0; --n) {
      if (!f(slots_[pos])) return;
      pos = pos == 0 ? slots_.size() - 1 : pos - 1;
    }
  }

  void clear() { end_ = 0; }

  // Changes the capacity, keeping the newest entries that still fit (allocates).
  void resize(std::size_t capacity) {
    if (capacity == 0) capacity = 1;
    if (capacity == slots_.size()) return;
    std::vector<T> next(capacity);
    const uint64_t newest_fit = end_ > capacity ? end_ - capacity : 0;
    const uint64_t first = newest_fit > begin() ? newest_fit : begin();
    for (uint64_t i = first; i < end_; ++i) next[i % capacity] = at(i);
    slots_ = std::move(next);
  }

 private:
  std::vector<T> slots_ = std::vector<T>(1);
  uint64_t end_ = 0;
};

// Index of the entry in [first, last] (all held) minimising key(entry); the newest on ties.
template <class T, class Key>
uint64_t argmin_in(const History<T>& h, uint64_t first, uint64_t last, Key key) {
  uint64_t best = last;
  for (uint64_t j = first; j <= last; ++j)
    if (key(h.at(j)) < key(h.at(best))) best = j;
  return best;
}

}  // namespace ffclock::core::estimator
