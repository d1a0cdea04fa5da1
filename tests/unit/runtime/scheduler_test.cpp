// SPDX-License-Identifier: BSD-2-Clause
// Ordering, fairness, spawn/join and cancellation of the scheduler, on the simulated backend.
#include "runtime/scheduler.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "sim_fixture.hpp"

namespace ffclock::runtime {
namespace {

using testing::SimFixture;
using Log = std::vector<std::string>;

// Counts its destruction: shows that a cancelled task's frame was destroyed.
struct Guard {
  int* destroyed;
  explicit Guard(int* d) : destroyed(d) {}
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
  ~Guard() { ++*destroyed; }
};

using SchedulerTest = SimFixture;

Task<int> answer() { co_return 42; }

TEST_F(SchedulerTest, RunReturnsTheRootValue) {
  auto r = sched.run(answer());
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 42);
  EXPECT_EQ(sched.live_tasks(), 0u);
}

Task<void> two_steps(Scheduler& s, Log& log, std::string name) {
  log.push_back(name + "1");
  co_await s.yield();
  log.push_back(name + "2");
}

Task<void> spawn_three(Scheduler& s, Log& log) {
  auto a = s.spawn(two_steps(s, log, "A"));
  auto b = s.spawn(two_steps(s, log, "B"));
  auto c = s.spawn(two_steps(s, log, "C"));
  log.push_back("root");  // spawning does not switch
  EXPECT_TRUE(co_await a.join());
  EXPECT_TRUE(co_await b.join());
  EXPECT_TRUE(co_await c.join());
  log.push_back("joined");
}

TEST_F(SchedulerTest, ReadyTasksRunFirstInFirstOutOneTurnEach) {
  Log log;
  ASSERT_TRUE(sched.run(spawn_three(sched, log)));
  EXPECT_EQ(log, (Log{"root", "A1", "B1", "C1", "A2", "B2", "C2", "joined"}));
}

Task<void> busy(Scheduler& s, int& mine, const int& other, int& max_gap, int steps) {
  for (int i = 0; i < steps; ++i) {
    ++mine;
    max_gap = std::max(max_gap, std::abs(mine - other));
    co_await s.yield();
  }
}

Task<void> two_busy(Scheduler& s, int& a, int& b, int& gap) {
  auto ta = s.spawn(busy(s, a, b, gap, 1000));
  auto tb = s.spawn(busy(s, b, a, gap, 1000));
  (void)co_await ta.join();
  (void)co_await tb.join();
}

TEST_F(SchedulerTest, TwoLoopingTasksAlternate) {
  int a = 0;
  int b = 0;
  int gap = 0;
  ASSERT_TRUE(sched.run(two_busy(sched, a, b, gap)));
  EXPECT_EQ(a, 1000);
  EXPECT_EQ(b, 1000);
  EXPECT_LE(gap, 1);  // neither ever got two turns in a row
}

Task<int> compute(int x) { co_return x * 2; }

Task<void> inline_loop(Log& log, std::string name) {
  for (int i = 0; i < 3; ++i) {
    const int v = co_await compute(i);  // never suspends on I/O, still a scheduling point
    log.push_back(name + std::to_string(v));
  }
}

Task<void> two_inline_loops(Scheduler& s, Log& log) {
  auto a = s.spawn(inline_loop(log, "A"));
  auto b = s.spawn(inline_loop(log, "B"));
  (void)co_await a.join();
  (void)co_await b.join();
}

TEST_F(SchedulerTest, ReturningFromAnInlineTaskLetsOthersRun) {
  Log log;
  ASSERT_TRUE(sched.run(two_inline_loops(sched, log)));
  EXPECT_EQ(log, (Log{"A0", "B0", "A2", "B2", "A4", "B4"}));
}

Task<std::string> greet(std::string who) { co_return "hello " + who; }

Task<void> join_values(Scheduler& s, std::string& out, bool& second_join_refused) {
  auto h = s.spawn(greet("world"));
  auto r = co_await h.join();
  EXPECT_TRUE(r);
  if (r) out = *r;
  auto again = co_await h.join();
  second_join_refused = !again && again.error() == TaskError::AlreadyJoined;
}

TEST_F(SchedulerTest, JoinReturnsTheChildValueOnce) {
  std::string out;
  bool refused = false;
  ASSERT_TRUE(sched.run(join_values(sched, out, refused)));
  EXPECT_EQ(out, "hello world");
  EXPECT_TRUE(refused);
}

Task<void> sleeper(Scheduler& s, int& destroyed, bool& woke) {
  Guard g(&destroyed);
  co_await s.sleep_for(std::chrono::hours(1));
  woke = true;
}

Task<void> middle(Scheduler& s, int& destroyed, bool& woke) {
  Guard g(&destroyed);
  auto c1 = s.spawn(sleeper(s, destroyed, woke));
  auto c2 = s.spawn(sleeper(s, destroyed, woke));
  (void)co_await c1.join();
  woke = true;  // never: c1 never finishes before the cancel
}

Task<void> grandparent(Scheduler& s, int& destroyed, bool& woke, std::size_t& live_after,
                       bool& join_cancelled) {
  auto p = s.spawn(middle(s, destroyed, woke));
  co_await s.sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(s.live_tasks(), 4u);  // root, middle, two sleepers
  p.cancel();
  live_after = s.live_tasks();
  auto r = co_await p.join();
  join_cancelled = !r && r.error() == TaskError::Cancelled;
}

TEST_F(SchedulerTest, CancellingATaskCancelsItsSubtreeAndDestroysTheirFrames) {
  int destroyed = 0;
  bool woke = false;
  std::size_t live_after = 99;
  bool join_cancelled = false;
  ASSERT_TRUE(sched.run(grandparent(sched, destroyed, woke, live_after, join_cancelled)));
  EXPECT_EQ(destroyed, 3);  // middle and both sleepers
  EXPECT_FALSE(woke);
  EXPECT_EQ(live_after, 1u);
  EXPECT_TRUE(join_cancelled);
  // The cancelled sleepers' timers were removed: the run did not wait for them.
  EXPECT_EQ(ms_since_start(backend.now()), 1);
}

Task<void> drop_handle(Scheduler& s, int& destroyed, bool& woke) {
  {
    auto h = s.spawn(sleeper(s, destroyed, woke));
    co_await s.yield();  // the child starts and goes to sleep
  }
  EXPECT_EQ(destroyed, 1);
  EXPECT_EQ(s.live_tasks(), 1u);
}

TEST_F(SchedulerTest, DroppingAJoinHandleCancelsTheChild) {
  int destroyed = 0;
  bool woke = false;
  ASSERT_TRUE(sched.run(drop_handle(sched, destroyed, woke)));
  EXPECT_EQ(destroyed, 1);
  EXPECT_FALSE(woke);
}

Task<void> leaves_child_behind(Scheduler& s, std::optional<JoinHandle<void>>& out, int& destroyed,
                               bool& woke) {
  out.emplace(s.spawn(sleeper(s, destroyed, woke)));
  co_await s.yield();
}

Task<void> outlive_parent(Scheduler& s, std::optional<JoinHandle<void>>& out, int& destroyed, bool& woke,
                          bool& child_cancelled) {
  auto p = s.spawn(leaves_child_behind(s, out, destroyed, woke));
  EXPECT_TRUE(co_await p.join());
  child_cancelled = out->cancelled();
  out.reset();
}

TEST_F(SchedulerTest, AFinishedTaskTakesItsChildrenWithIt) {
  std::optional<JoinHandle<void>> out;
  int destroyed = 0;
  bool woke = false;
  bool child_cancelled = false;
  ASSERT_TRUE(sched.run(outlive_parent(sched, out, destroyed, woke, child_cancelled)));
  EXPECT_TRUE(child_cancelled);
  EXPECT_EQ(destroyed, 1);
  EXPECT_FALSE(woke);
}

Task<void> kills_parent(Scheduler& s, JoinHandle<void>*& parent, Log& log) {
  log.push_back("child runs");
  parent->cancel();  // cancels this task too: it ends at its next suspension
  log.push_back("child continues until it suspends");
  co_await s.yield();
  log.push_back("never");
}

Task<void> parent_of_killer(Scheduler& s, JoinHandle<void>*& parent, Log& log, int& destroyed) {
  Guard g(&destroyed);
  auto c = s.spawn(kills_parent(s, parent, log));
  (void)co_await c.join();
  log.push_back("never either");
}

Task<void> self_cancel_root(Scheduler& s, Log& log, int& destroyed) {
  JoinHandle<void>* ptr = nullptr;
  auto p = s.spawn(parent_of_killer(s, ptr, log, destroyed));
  ptr = &p;
  auto r = co_await p.join();
  EXPECT_FALSE(r);
  EXPECT_EQ(s.live_tasks(), 1u);
  log.push_back("root sees cancel");
}

TEST_F(SchedulerTest, ATaskCancellingItsOwnAncestorStopsAtItsNextSuspension) {
  Log log;
  int destroyed = 0;
  ASSERT_TRUE(sched.run(self_cancel_root(sched, log, destroyed)));
  EXPECT_EQ(log, (Log{"child runs", "child continues until it suspends", "root sees cancel"}));
  EXPECT_EQ(destroyed, 1);
}

Task<void> cancel_before_start(Scheduler& s, int& destroyed, bool& woke, bool& cancelled) {
  auto h = s.spawn(sleeper(s, destroyed, woke));
  h.cancel();  // it never ran: its body never starts
  auto r = co_await h.join();
  cancelled = !r && r.error() == TaskError::Cancelled;
}

TEST_F(SchedulerTest, AChildCancelledBeforeItRanNeverStartsAndJoinsAsCancelled) {
  int destroyed = 0;
  bool woke = false;
  bool cancelled = false;
  ASSERT_TRUE(sched.run(cancel_before_start(sched, destroyed, woke, cancelled)));
  EXPECT_TRUE(cancelled);
  EXPECT_EQ(destroyed, 0);  // the Guard in its body was never constructed
  EXPECT_FALSE(woke);
}

}  // namespace
}  // namespace ffclock::runtime
