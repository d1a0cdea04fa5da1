// SPDX-License-Identifier: BSD-2-Clause
// The Net device on the simulated backend: suspension, timestamps, timeouts, writes.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "runtime/net_device.hpp"
#include "runtime/scheduler.hpp"
#include "sim_fixture.hpp"

namespace ffclock::runtime {
namespace {

using platform::Ipv4Endpoint;
using std::chrono::milliseconds;
using testing::bytes_of;
using testing::SimFixture;
using testing::string_of;

const Ipv4Endpoint kLocal = Ipv4Endpoint::loopback(4000);
const Ipv4Endpoint kServer{0xC0000201u, 123};  // 192.0.2.1:123

class NetDeviceSimTest : public SimFixture {
 protected:
  std::unique_ptr<NetDevice> open(Ipv4Endpoint at = kLocal) {
    auto port = backend.open_udp(at);
    EXPECT_TRUE(port);
    auto dev = NetDevice::open(sched, std::move(port).value());
    EXPECT_TRUE(dev);
    return std::move(dev).value();
  }
};

struct Got {
  std::string payload;
  Ipv4Endpoint peer;
  uint64_t rx = 0;
  int64_t resumed_ms = -1;
  std::optional<NetErrc> error;
};

Task<void> read_one(Scheduler& s, NetDevice& dev, Got& got, std::size_t buf_size = 512) {
  std::vector<std::byte> buf(buf_size);
  auto r = co_await dev.read(buf);
  got.resumed_ms = SimFixture::ms_since_start(s.now());
  if (!r) {
    got.error = r.error().code;
    co_return;
  }
  got.payload = string_of(r->payload);
  got.peer = r->peer;
  got.rx = r->rx_counter;
}

TEST_F(NetDeviceSimTest, ReadSuspendsUntilADatagramArrivesAndStampsIt) {
  auto dev = open();
  backend.deliver_at(at_ms(25), kServer, kLocal, bytes_of("reply"));
  Got got;
  ASSERT_TRUE(sched.run(read_one(sched, *dev, got)));
  EXPECT_FALSE(got.error);
  EXPECT_EQ(got.payload, "reply");
  EXPECT_EQ(got.peer, kServer);
  EXPECT_EQ(got.resumed_ms, 25);
  // The sim counter reads virtual nanoseconds: the stamp is the arrival instant.
  EXPECT_EQ(got.rx, static_cast<uint64_t>(mono_to_ns(at_ms(25))));
}

TEST_F(NetDeviceSimTest, ADatagramLargerThanTheBufferIsReportedTruncated) {
  auto dev = open();
  backend.deliver_at(at_ms(1), kServer, kLocal, bytes_of("0123456789"));
  Got got;
  ASSERT_TRUE(sched.run(read_one(sched, *dev, got, 4)));
  ASSERT_TRUE(got.error);
  EXPECT_EQ(*got.error, NetErrc::Truncated);
}

Task<void> read_with_timeout(Scheduler& s, NetDevice& dev, std::vector<std::string>& log) {
  std::vector<std::byte> buf(64);
  auto r = co_await dev.read_until(buf, s.now() + milliseconds(10));
  log.push_back(r ? "got" : (r.error().code == NetErrc::Timeout ? "timeout" : "error"));
  log.push_back(std::to_string(SimFixture::ms_since_start(s.now())));
  auto r2 = co_await dev.read_until(buf, s.now() + milliseconds(100));
  log.push_back(r2 ? string_of(r2->payload) : "error");
  log.push_back(std::to_string(SimFixture::ms_since_start(s.now())));
}

TEST_F(NetDeviceSimTest, ReadUntilTimesOutAtItsDeadlineAndLaterDatagramsStillArrive) {
  auto dev = open();
  backend.deliver_at(at_ms(15), kServer, kLocal, bytes_of("late"));
  std::vector<std::string> log;
  ASSERT_TRUE(sched.run(read_with_timeout(sched, *dev, log)));
  EXPECT_EQ(log, (std::vector<std::string>{"timeout", "10", "late", "15"}));
  EXPECT_FALSE(dev->has_readers());
}

Task<void> writer(NetDevice& dev, std::vector<std::string>& log, uint64_t& tx) {
  log.push_back("W before");
  auto r = dev.write(bytes_of("query"), kServer);
  EXPECT_TRUE(r);
  if (r) tx = *r;
  log.push_back("W after");
  co_return;
}

Task<void> bystander(std::vector<std::string>& log) {
  log.push_back("B");
  co_return;
}

Task<void> write_and_bystander(Scheduler& s, NetDevice& dev, std::vector<std::string>& log, uint64_t& tx) {
  co_await s.sleep_for(milliseconds(7));
  auto w = s.spawn(writer(dev, log, tx));
  auto b = s.spawn(bystander(log));
  (void)co_await w.join();
  (void)co_await b.join();
}

TEST_F(NetDeviceSimTest, WriteNeverSuspendsAndReturnsTheTransmitStamp) {
  auto dev = open();
  std::vector<std::string> log;
  uint64_t tx = 0;
  ASSERT_TRUE(sched.run(write_and_bystander(sched, *dev, log, tx)));
  EXPECT_EQ(log, (std::vector<std::string>{"W before", "W after", "B"}));
  EXPECT_EQ(tx, static_cast<uint64_t>(mono_to_ns(at_ms(7))));
  ASSERT_EQ(backend.sent().size(), 1u);
  EXPECT_EQ(string_of(backend.sent()[0].payload), "query");
  EXPECT_EQ(backend.sent()[0].to, kServer);
  EXPECT_EQ(backend.sent()[0].from, kLocal);
  EXPECT_EQ(backend.sent()[0].at, at_ms(7));
}

Task<void> ping(Scheduler& s, NetDevice& dev, uint64_t& tx, Got& got) {
  co_await s.sleep_for(milliseconds(3));
  auto w = dev.write(bytes_of("ping"), kServer);
  EXPECT_TRUE(w);
  if (w) tx = *w;
  co_await read_one(s, dev, got);
}

TEST_F(NetDeviceSimTest, ASendHookActsAsAPeerWithADelay) {
  auto dev = open();
  backend.on_send([](sim::SimBackend& b, const sim::SimDatagram& d) {
    b.deliver_at(d.at + milliseconds(5), d.to, d.from, bytes_of("pong"));
  });
  uint64_t tx = 0;
  Got got;
  ASSERT_TRUE(sched.run(ping(sched, *dev, tx, got)));
  EXPECT_EQ(got.payload, "pong");
  EXPECT_EQ(got.peer, kServer);
  EXPECT_EQ(got.rx - tx, 5'000'000u);  // the round trip, in counter ticks
}

Task<void> read_then_log(Scheduler& s, NetDevice& dev, std::vector<std::string>& log, std::string name) {
  std::vector<std::byte> buf(64);
  auto r = co_await dev.read(buf);
  log.push_back(name + ":" + (r ? string_of(r->payload) : "error"));
  (void)s;
}

Task<void> two_readers_and_bystander(Scheduler& s, NetDevice& dev, std::vector<std::string>& log) {
  auto a = s.spawn(read_then_log(s, dev, log, "A"));
  auto b = s.spawn(read_then_log(s, dev, log, "B"));
  co_await s.sleep_for(milliseconds(1));
  auto c = s.spawn(bystander(log));
  (void)co_await a.join();
  (void)co_await b.join();
  (void)co_await c.join();
}

TEST_F(NetDeviceSimTest, ReadersAreServedFirstComeFirstServed) {
  auto dev = open();
  backend.deliver_at(at_ms(5), kServer, kLocal, bytes_of("one"));
  backend.deliver_at(at_ms(5), kServer, kLocal, bytes_of("two"));
  std::vector<std::string> log;
  ASSERT_TRUE(sched.run(two_readers_and_bystander(sched, *dev, log)));
  EXPECT_EQ(log, (std::vector<std::string>{"B", "A:one", "B:two"}));
}

Task<void> queued_reader(Scheduler& s, NetDevice& dev, std::vector<std::string>& log) {
  co_await s.sleep_for(milliseconds(10));  // the datagram is queued meanwhile
  auto a = s.spawn(read_then_log(s, dev, log, "A"));
  auto b = s.spawn(bystander(log));
  (void)co_await a.join();
  (void)co_await b.join();
}

TEST_F(NetDeviceSimTest, AReadThatSucceedsAtOnceIsStillASchedulingPoint) {
  auto dev = open();
  backend.deliver_at(at_ms(2), kServer, kLocal, bytes_of("queued"));
  std::vector<std::string> log;
  ASSERT_TRUE(sched.run(queued_reader(sched, *dev, log)));
  EXPECT_EQ(log, (std::vector<std::string>{"B", "A:queued"}));
}

Task<void> spinner(Scheduler& s, int& spins, int total) {
  for (int i = 0; i < total; ++i) {
    ++spins;
    co_await s.yield();
  }
}

Task<void> reader_counts(NetDevice& dev, const int& spins, int& spins_when_read) {
  std::vector<std::byte> buf(64);
  auto r = co_await dev.read(buf);
  EXPECT_TRUE(r);
  spins_when_read = spins;
}

Task<void> spinner_and_reader(Scheduler& s, NetDevice& dev, int& spins, int& spins_when_read) {
  auto rd = s.spawn(reader_counts(dev, spins, spins_when_read));
  co_await s.yield();  // the reader is parked on the device now
  auto sp = s.spawn(spinner(s, spins, 100));
  (void)co_await rd.join();
  (void)co_await sp.join();
}

TEST_F(NetDeviceSimTest, ABusyTaskDoesNotStarveAWaitingReader) {
  auto dev = open();
  // Due at once: the device is checked between rounds even while a task is always ready.
  backend.deliver_at(backend.now(), kServer, kLocal, bytes_of("now"));
  int spins = 0;
  int spins_when_read = -1;
  ASSERT_TRUE(sched.run(spinner_and_reader(sched, *dev, spins, spins_when_read)));
  EXPECT_EQ(spins, 100);
  EXPECT_GE(spins_when_read, 0);
  EXPECT_LE(spins_when_read, 2);
}

TEST_F(NetDeviceSimTest, OneSchedulerDrivesAtMost64NetDevices) {
  std::vector<std::unique_ptr<NetDevice>> devs;
  for (uint16_t i = 0; i < kMaxNetDevices; ++i) devs.push_back(open(Ipv4Endpoint::loopback(5000 + i)));
  auto port = backend.open_udp(Ipv4Endpoint::loopback(6000));
  ASSERT_TRUE(port);
  auto extra = NetDevice::open(sched, std::move(port).value());
  ASSERT_FALSE(extra);
  EXPECT_EQ(extra.error().code, NetErrc::TooManyDevices);
  devs.pop_back();
  auto port2 = backend.open_udp(Ipv4Endpoint::loopback(6001));
  ASSERT_TRUE(port2);
  EXPECT_TRUE(NetDevice::open(sched, std::move(port2).value()));
}

TEST_F(NetDeviceSimTest, TwoPortsCannotShareALocalEndpoint) {
  auto dev = open();
  auto again = backend.open_udp(kLocal);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, NetErrc::AddressInUse);
}

}  // namespace
}  // namespace ffclock::runtime
