// SPDX-License-Identifier: BSD-2-Clause
#include "runtime/timer_heap.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace ffclock::runtime {
namespace {

TEST(TimerHeap, PopsInDeadlineOrderAndTiesFirstInFirstOut) {
  std::vector<TimerEntry> e(5);
  const int64_t deadlines[] = {30, 10, 20, 10, 5};
  TimerHeap h;
  for (std::size_t i = 0; i < e.size(); ++i) {
    e[i].deadline = mono_from_ns(deadlines[i]);
    h.push(&e[i]);
  }
  std::vector<TimerEntry*> order;
  while (TimerEntry* t = h.pop()) order.push_back(t);
  ASSERT_EQ(order.size(), 5u);
  EXPECT_EQ(order[0], &e[4]);
  EXPECT_EQ(order[1], &e[1]);  // 10, pushed before e[3]
  EXPECT_EQ(order[2], &e[3]);
  EXPECT_EQ(order[3], &e[2]);
  EXPECT_EQ(order[4], &e[0]);
  for (const TimerEntry& t : e) EXPECT_FALSE(t.in_heap());
}

TEST(TimerHeap, EraseFromAnywhereKeepsOrderAgainstAReference) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> dist(0, 1000);
  std::vector<TimerEntry> e(500);
  TimerHeap h;
  for (TimerEntry& t : e) {
    t.deadline = mono_from_ns(dist(rng));
    h.push(&t);
  }
  std::vector<TimerEntry*> remaining;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (i % 3 == 0) {
      h.erase(&e[i]);
      EXPECT_FALSE(e[i].in_heap());
    } else {
      remaining.push_back(&e[i]);
    }
  }
  std::stable_sort(remaining.begin(), remaining.end(),
                   [](const TimerEntry* a, const TimerEntry* b) { return a->deadline < b->deadline; });
  ASSERT_EQ(h.size(), remaining.size());
  for (TimerEntry* want : remaining) {
    ASSERT_EQ(h.top(), want);
    EXPECT_EQ(h.pop(), want);
  }
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.pop(), nullptr);
}

TEST(TimerHeap, ReinsertAfterPopWorks) {
  TimerEntry a;
  TimerEntry b;
  a.deadline = mono_from_ns(2);
  b.deadline = mono_from_ns(1);
  TimerHeap h;
  h.push(&a);
  h.push(&b);
  EXPECT_EQ(h.pop(), &b);
  b.deadline = mono_from_ns(3);
  h.push(&b);
  EXPECT_EQ(h.pop(), &a);
  EXPECT_EQ(h.pop(), &b);
}

}  // namespace
}  // namespace ffclock::runtime
