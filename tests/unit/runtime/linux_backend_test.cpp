// SPDX-License-Identifier: BSD-2-Clause
// The Linux backend: a UDP echo over 127.0.0.1, real timers through the timerfd, and a
// clean stop on SIGTERM/SIGINT, raised in-process or sent by another process while the
// scheduler is blocked in poll().
#include "runtime/linux/linux_backend.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "platform/monotonic_clock.hpp"
#include "platform/stop_signals.hpp"
#include "runtime/net_device.hpp"
#include "runtime/scheduler.hpp"
#include "sim_fixture.hpp"

namespace ffclock::runtime {
namespace {

using linux_os::LinuxBackend;
using platform::Ipv4Endpoint;
using std::chrono::milliseconds;
using testing::bytes_of;
using testing::string_of;

// Counter ticks are CLOCK_MONOTONIC nanoseconds here (the counters branch has real ones).
class MonotonicCounter final : public platform::Counter {
 public:
  uint64_t read() override { return static_cast<uint64_t>(platform::monotonic_now_ns()); }
  platform::CounterInfo info() const override {
    return {"test-monotonic", platform::CounterKind::MonotonicRaw, 1'000'000'000, true, "test"};
  }
};

class LinuxBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    platform::StopSignals::clear();
    auto b = LinuxBackend::create();
    ASSERT_TRUE(b) << platform::describe(b.error());
    backend = std::move(b).value();
    sched = std::make_unique<Scheduler>(*backend, counter);
  }
  void TearDown() override {
    sched.reset();
    backend.reset();
    platform::StopSignals::clear();
  }
  std::unique_ptr<NetDevice> open_loopback() {
    auto port = LinuxBackend::open_udp(Ipv4Endpoint::loopback(0));
    EXPECT_TRUE(port) << describe(port.error());
    auto dev = NetDevice::open(*sched, std::move(port).value());
    EXPECT_TRUE(dev);
    return std::move(dev).value();
  }
  MonotonicCounter counter;
  std::unique_ptr<LinuxBackend> backend;
  std::unique_ptr<Scheduler> sched;
};

Task<int> echo_server(Scheduler& s, NetDevice& dev, int count) {
  std::vector<std::byte> buf(1500);
  int served = 0;
  while (served < count) {
    auto r = co_await dev.read_until(buf, s.now() + std::chrono::seconds(5));
    if (!r) co_return -1;
    std::vector<std::byte> reply(r->payload.begin(), r->payload.end());
    reply.push_back(std::byte{'!'});
    if (!dev.write(reply, r->peer)) co_return -2;
    ++served;
  }
  co_return served;
}

struct EchoResult {
  std::vector<std::string> replies;
  bool peer_ok = true;
  bool stamps_ordered = true;
};

Task<void> echo_client(Scheduler& s, NetDevice& client, NetDevice& server, EchoResult& out) {
  auto srv = s.spawn(echo_server(s, server, 3));
  std::vector<std::byte> buf(1500);
  for (const char* msg : {"one", "two", "three"}) {
    auto tx = client.write(bytes_of(msg), server.local());
    EXPECT_TRUE(tx);
    auto r = co_await client.read_until(buf, s.now() + std::chrono::seconds(5));
    EXPECT_TRUE(r);
    if (!r || !tx) co_return;
    out.replies.push_back(string_of(r->payload));
    out.peer_ok = out.peer_ok && r->peer == server.local();
    out.stamps_ordered = out.stamps_ordered && r->rx_counter >= *tx;
  }
  auto served = co_await srv.join();
  EXPECT_TRUE(served);
  if (served) {
    EXPECT_EQ(*served, 3);
  }
}

TEST_F(LinuxBackendTest, UdpEchoOverLoopback) {
  auto server = open_loopback();
  auto client = open_loopback();
  EXPECT_EQ(server->local().addr, 0x7F000001u);
  EXPECT_NE(server->local().port, 0);
  EchoResult out;
  auto r = sched->run(echo_client(*sched, *client, *server, out));
  ASSERT_TRUE(r) << describe(r.error());
  EXPECT_EQ(out.replies, (std::vector<std::string>{"one!", "two!", "three!"}));
  EXPECT_TRUE(out.peer_ok);
  EXPECT_TRUE(out.stamps_ordered);
}

Task<int64_t> timed_sleep(Scheduler& s) {
  const MonoTime t0 = s.now();
  co_await s.sleep_for(milliseconds(20));
  co_return (s.now() - t0).count();
}

TEST_F(LinuxBackendTest, SleepWaitsAtLeastItsDurationOnTheRealClock) {
  auto r = sched->run(timed_sleep(*sched));
  ASSERT_TRUE(r);
  EXPECT_GE(*r, 20'000'000);
}

Task<void> sleeps_long(Scheduler& s, int& destroyed) {
  struct Guard {
    int* d;
    ~Guard() { ++*d; }
  } g{&destroyed};
  co_await s.sleep_for(std::chrono::hours(1));
}

Task<void> raises_then_sleeps(Scheduler& s, int& destroyed, int sig) {
  auto child = s.spawn(sleeps_long(s, destroyed));
  co_await s.sleep_for(milliseconds(2));
  std::raise(sig);
  co_await s.sleep_for(std::chrono::hours(1));
}

TEST_F(LinuxBackendTest, SigtermEndsTheRootTaskCleanly) {
  int destroyed = 0;
  auto r = sched->run(raises_then_sleeps(*sched, destroyed, SIGTERM));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), RunError::Stopped);
  EXPECT_EQ(destroyed, 1);
  EXPECT_EQ(sched->live_tasks(), 0u);
  EXPECT_EQ(platform::StopSignals::last_signal(), SIGTERM);
}

TEST_F(LinuxBackendTest, SigintEndsTheRootTaskCleanly) {
  int destroyed = 0;
  auto r = sched->run(raises_then_sleeps(*sched, destroyed, SIGINT));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), RunError::Stopped);
  EXPECT_EQ(destroyed, 1);
}

Task<void> reads_forever(NetDevice& dev, int& destroyed) {
  struct Guard {
    int* d;
    ~Guard() { ++*d; }
  } g{&destroyed};
  std::vector<std::byte> buf(64);
  (void)co_await dev.read(buf);  // no timer: poll() blocks with no timeout
}

TEST_F(LinuxBackendTest, SigtermFromAnotherProcessInterruptsABlockedPoll) {
  auto dev = open_loopback();
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::usleep(100'000);
    ::kill(parent, SIGTERM);
    ::_exit(0);
  }
  int destroyed = 0;
  auto r = sched->run(reads_forever(*dev, destroyed));
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), RunError::Stopped);
  EXPECT_EQ(destroyed, 1);
  EXPECT_FALSE(dev->has_readers());
}

TEST(LinuxBackendSignals, DestroyingTheBackendRestoresThePreviousHandlers) {
  struct sigaction before {};
  ::sigaction(SIGTERM, nullptr, &before);
  {
    auto b = LinuxBackend::create();
    ASSERT_TRUE(b);
    struct sigaction during {};
    ::sigaction(SIGTERM, nullptr, &during);
    EXPECT_NE(during.sa_handler, before.sa_handler);
  }
  struct sigaction after {};
  ::sigaction(SIGTERM, nullptr, &after);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
}

}  // namespace
}  // namespace ffclock::runtime
