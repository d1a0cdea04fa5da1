// SPDX-License-Identifier: BSD-2-Clause
// Timers in virtual time, the stall check and the simulated stop signal.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/net_device.hpp"
#include "runtime/scheduler.hpp"
#include "sim_fixture.hpp"

namespace ffclock::runtime {
namespace {

using testing::SimFixture;
using TimersTest = SimFixture;
using std::chrono::milliseconds;

struct Wake {
  std::string who;
  int64_t at_ms;
};

Task<void> nap(Scheduler& s, std::vector<Wake>& log, std::string who, int ms) {
  co_await s.sleep_for(milliseconds(ms));
  log.push_back({who, SimFixture::ms_since_start(s.now())});
}

Task<void> three_naps(Scheduler& s, std::vector<Wake>& log) {
  auto a = s.spawn(nap(s, log, "30", 30));
  auto b = s.spawn(nap(s, log, "10", 10));
  auto c = s.spawn(nap(s, log, "20", 20));
  auto d = s.spawn(nap(s, log, "10bis", 10));
  (void)co_await a.join();
  (void)co_await b.join();
  (void)co_await c.join();
  (void)co_await d.join();
}

TEST_F(TimersTest, SleepersWakeInDeadlineOrderAtTheirVirtualTimes) {
  std::vector<Wake> log;
  ASSERT_TRUE(sched.run(three_naps(sched, log)));
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0].who, "10");
  EXPECT_EQ(log[0].at_ms, 10);
  EXPECT_EQ(log[1].who, "10bis");  // same deadline: first asleep, first awake
  EXPECT_EQ(log[1].at_ms, 10);
  EXPECT_EQ(log[2].who, "20");
  EXPECT_EQ(log[2].at_ms, 20);
  EXPECT_EQ(log[3].who, "30");
  EXPECT_EQ(log[3].at_ms, 30);
  EXPECT_EQ(SimFixture::ms_since_start(backend.now()), 30);  // time jumped, no busy wait
}

Task<void> past_deadline(Scheduler& s, std::vector<std::string>& log) {
  log.push_back("A before");
  co_await s.sleep_until(s.now() - milliseconds(5));
  log.push_back("A after");
}

Task<void> other(std::vector<std::string>& log) {
  log.push_back("B");
  co_return;
}

Task<void> past_and_other(Scheduler& s, std::vector<std::string>& log) {
  auto a = s.spawn(past_deadline(s, log));
  auto b = s.spawn(other(log));
  (void)co_await a.join();
  (void)co_await b.join();
}

TEST_F(TimersTest, APastDeadlineDoesNotBlockButStillYields) {
  std::vector<std::string> log;
  const MonoTime start = backend.now();
  ASSERT_TRUE(sched.run(past_and_other(sched, log)));
  EXPECT_EQ(log, (std::vector<std::string>{"A before", "B", "A after"}));
  EXPECT_EQ(backend.now(), start);
}

Task<void> sleep_forever(Scheduler& s, int& destroyed) {
  struct Guard {
    int* d;
    ~Guard() { ++*d; }
  } g{&destroyed};
  co_await s.sleep_for(std::chrono::hours(24));
}

Task<void> root_with_sleeper(Scheduler& s, int& destroyed) {
  auto h = s.spawn(sleep_forever(s, destroyed));
  co_await s.sleep_for(std::chrono::hours(48));
}

TEST_F(TimersTest, TheStopSignalCancelsTheRootAndItsChildren) {
  int destroyed = 0;
  backend.stop_at(at_ms(50));
  auto r = sched.run(root_with_sleeper(sched, destroyed));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), RunError::Stopped);
  EXPECT_EQ(destroyed, 1);
  EXPECT_EQ(SimFixture::ms_since_start(backend.now()), 50);
  EXPECT_EQ(sched.live_tasks(), 0u);
}

Task<void> read_nothing(Scheduler& s, NetDevice& dev, int& destroyed) {
  struct Guard {
    int* d;
    ~Guard() { ++*d; }
  } g{&destroyed};
  std::vector<std::byte> buf(64);
  (void)co_await dev.read(buf);
  (void)s;
}

TEST_F(TimersTest, WaitingForeverOnNothingScriptedIsReportedAsAStall) {
  auto port = backend.open_udp(platform::Ipv4Endpoint::loopback(123));
  ASSERT_TRUE(port);
  auto dev = NetDevice::open(sched, std::move(port).value());
  ASSERT_TRUE(dev);
  int destroyed = 0;
  auto r = sched.run(read_nothing(sched, **dev, destroyed));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), RunError::Stalled);
  EXPECT_EQ(destroyed, 1);
  EXPECT_FALSE((*dev)->has_readers());
}

}  // namespace
}  // namespace ffclock::runtime
