// SPDX-License-Identifier: BSD-2-Clause
// The driver on the simulated runtime with a scripted engine: it performs each kind of
// action (send + on_sent, timers, resolve, system samples, publish, step, sources page), and
// hands the engine only datagrams from the source's own address.
#include "daemon/driver.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/sim/sim_backend.hpp"

namespace ffclock::daemon {
namespace {

using core::engine::Actions;
using core::engine::SourceMode;
using platform::Ipv4Endpoint;
using runtime::mono_from_ns;
using runtime::mono_to_ns;
using runtime::MonoTime;

constexpr int64_t kStartNs = 1'000'000'000;  // the sim backend's start; the counter reads virtual ns

struct PacketCall {
  std::size_t source;
  std::vector<uint8_t> bytes;
  uint64_t rx;
};

// An engine that answers from a script and records every call.
class ScriptedEngine final : public EnginePort {
 public:
  Actions start(uint64_t counter) override {
    start_counter = counter;
    return start_actions;
  }
  Actions on_timer(uint64_t counter) override {
    timer_counters.push_back(counter);
    if (timer_script.empty()) return idle();
    Actions a = timer_script.front();
    timer_script.erase(timer_script.begin());
    return a;
  }
  void on_sent(std::size_t source, uint64_t nonce, uint64_t tx) override {
    sent.push_back({source, nonce, tx});
  }
  Actions on_packet(std::size_t source, std::span<const uint8_t> bytes, uint64_t rx) override {
    packets.push_back({source, {bytes.begin(), bytes.end()}, rx});
    return packet_actions;
  }
  Actions on_system_sample(const core::engine::SystemSample& s) override {
    samples.push_back(s);
    return sample_actions;
  }
  Actions on_leap_table(const core::LeapTable& t, uint64_t) override {
    leap_tables.push_back(t.entries().size());
    return idle();
  }
  std::size_t source_count() const override { return names.size(); }
  core::engine::SourceSnapshot source(std::size_t i) const override {
    core::engine::SourceSnapshot s;
    s.name = names[i];
    s.mode = modes[i];
    return s;
  }
  core::engine::EngineSummary summary() const override { return {}; }

  static Actions idle() {
    Actions a;
    a.next_timer = Duration::seconds(1000);
    return a;
  }

  std::vector<std::string> names;
  std::vector<SourceMode> modes;
  Actions start_actions = idle();
  std::vector<Actions> timer_script;
  Actions packet_actions = idle();
  Actions sample_actions = idle();

  uint64_t start_counter = 0;
  std::vector<uint64_t> timer_counters;
  struct Sent {
    std::size_t source;
    uint64_t nonce;
    uint64_t tx;
  };
  std::vector<Sent> sent;
  std::vector<PacketCall> packets;
  std::vector<core::engine::SystemSample> samples;
  std::vector<std::size_t> leap_tables;
};

core::engine::SendRequest request(std::size_t source, uint64_t nonce) {
  core::engine::SendRequest r;
  r.source = source;
  r.nonce = nonce;
  r.bytes[0] = 0x23;  // LI 0, v4, client
  r.bytes[47] = static_cast<uint8_t>(nonce);
  return r;
}

std::vector<std::byte> reply_bytes(uint8_t tag) {
  std::vector<std::byte> v(48, std::byte{0});
  v[0] = std::byte{0x24};
  v[47] = std::byte{tag};
  return v;
}

const Ipv4Endpoint kServerA{0xC0000201u, 123};    // 192.0.2.1:123
const Ipv4Endpoint kServerB{0xC0000202u, 11123};  // 192.0.2.2:11123
const Ipv4Endpoint kSpoofer{0xC6336401u, 123};    // 198.51.100.1:123

SourceEntry server(const std::string& address) {
  SourceEntry e;
  e.mode = SourceMode::Server;
  e.address = address;
  e.host_port = platform::parse_host_port(address);
  return e;
}

class DriverTest : public ::testing::Test {
 protected:
  static MonoTime at_ms(int64_t ms) { return mono_from_ns(kStartNs + ms * 1'000'000); }

  void configure(std::vector<SourceEntry> sources) {
    for (const auto& s : sources) {
      engine.names.push_back(source_name(s));
      engine.modes.push_back(s.mode);
    }
    DriverHands hands;
    hands.open_port = [this] { return backend.open_udp(Ipv4Endpoint::loopback(next_port++)); };
    hands.resolver = &resolver;
    hands.sampler = &sampler;
    hands.kernel = &kernel;
    hands.page = &publisher;
    hands.write_sources_page = [this](const std::string& text) -> std::optional<std::string> {
      sources_pages.push_back(text);
      return std::nullopt;
    };
    hands.leap = &leap;
    hands.leap_path = "leap.list";
    hands.log = &log;
    DriverOptions options;
    options.page_path = "/tmp/page";
    options.daemon_version = "test";
    options.pid = 77;
    driver = std::make_unique<Driver>(sched, engine, std::move(sources), std::move(hands), options);
    ASSERT_FALSE(driver->open());
  }
  // Runs until the simulated stop at `stop_ms`.
  void run_until(int64_t stop_ms) {
    backend.stop_at(at_ms(stop_ms));
    auto r = sched.run(driver->run());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), runtime::RunError::Stopped);
  }

  runtime::sim::SimBackend backend{mono_from_ns(kStartNs)};
  runtime::sim::SimCounter counter{backend, 1'000'000'000, 0};
  runtime::Scheduler sched{backend, counter};
  uint16_t next_port = 40000;
  ScriptedEngine engine;
  platform::FakeNameResolver resolver;
  platform::FakeKernelClock kernel;
  platform::SystemClockSampler sampler{counter, kernel};
  RecordingPublisher publisher;
  std::vector<std::string> sources_pages;
  platform::FakeLeapSource leap;
  MemoryLog log;
  std::unique_ptr<Driver> driver;
};

TEST_F(DriverTest, SendsToTheResolvedAddressAndReportsTheTransmitStamp) {
  configure({server("192.0.2.1"), server("192.0.2.2:11123")});
  engine.start_actions.sends = {request(0, 11), request(1, 22)};
  run_until(100);
  ASSERT_EQ(backend.sent().size(), 2u);
  EXPECT_EQ(backend.sent()[0].to, kServerA);
  EXPECT_EQ(backend.sent()[1].to, kServerB);
  EXPECT_EQ(backend.sent()[0].payload.size(), 48u);
  EXPECT_EQ(backend.sent()[0].payload[47], std::byte{11});
  ASSERT_EQ(engine.sent.size(), 2u);
  EXPECT_EQ(engine.sent[0].source, 0u);
  EXPECT_EQ(engine.sent[0].nonce, 11u);
  EXPECT_EQ(engine.sent[0].tx, static_cast<uint64_t>(kStartNs));  // counter at the send
  EXPECT_EQ(engine.sent[1].nonce, 22u);
  EXPECT_EQ(driver->stats().sent, 2u);
}

TEST_F(DriverTest, OnlyDatagramsFromTheSourcesAddressReachTheEngine) {
  configure({server("192.0.2.1"), server("192.0.2.2:11123")});
  engine.start_actions.sends = {request(0, 1)};
  // Source 0's port is the first opened (40000), source 1's the second.
  const Ipv4Endpoint port0 = Ipv4Endpoint::loopback(40000);
  const Ipv4Endpoint port1 = Ipv4Endpoint::loopback(40001);
  backend.deliver_at(at_ms(20), kSpoofer, port0, reply_bytes(9));  // a stranger
  backend.deliver_at(at_ms(25), kServerB, port0, reply_bytes(8));  // the other source's server
  backend.deliver_at(at_ms(30), kServerA, port0, reply_bytes(7));  // the real reply
  backend.deliver_at(at_ms(40), kServerB, port1, reply_bytes(6));
  run_until(100);
  ASSERT_EQ(engine.packets.size(), 2u);
  EXPECT_EQ(engine.packets[0].source, 0u);
  EXPECT_EQ(engine.packets[0].bytes.size(), 48u);
  EXPECT_EQ(engine.packets[0].bytes[47], 7);
  EXPECT_EQ(engine.packets[0].rx, static_cast<uint64_t>(mono_to_ns(at_ms(30))));
  EXPECT_EQ(engine.packets[1].source, 1u);
  EXPECT_EQ(engine.packets[1].rx, static_cast<uint64_t>(mono_to_ns(at_ms(40))));
  EXPECT_EQ(driver->stats().foreign_dropped, 2u);
}

TEST_F(DriverTest, CallsOnTimerWhenAskedAndEarlierWhenAPacketAsksForLess) {
  configure({server("192.0.2.1")});
  engine.start_actions.next_timer = Duration::seconds(5);
  Actions t1;  // at 5 s: next in 10 s (15 s) ...
  t1.next_timer = Duration::seconds(10);
  engine.timer_script = {t1};
  // ... but a reply at 6 s asks for a call within 2 s (8 s).
  engine.packet_actions.next_timer = Duration::seconds(2);
  backend.deliver_at(at_ms(6000), kServerA, Ipv4Endpoint::loopback(40000), reply_bytes(1));
  run_until(9000);
  ASSERT_EQ(engine.timer_counters.size(), 2u);
  EXPECT_EQ(engine.timer_counters[0], static_cast<uint64_t>(mono_to_ns(at_ms(5000))));
  EXPECT_EQ(engine.timer_counters[1], static_cast<uint64_t>(mono_to_ns(at_ms(8000))));
}

TEST_F(DriverTest, TakesSystemSamplesAndPublishes) {
  SourceEntry sys;
  sys.mode = SourceMode::System;
  configure({sys});
  engine.start_actions.sample_system = true;
  kernel.now = UtcTime::from_unix(1'800'000'000);
  kernel.kernel_status = {Duration::microseconds(250), true};
  core::PageInput page;
  page.counter_id = 0xFE;
  engine.sample_actions.publish = page;
  engine.sample_actions.next_timer = Duration::seconds(1000);
  run_until(10);
  ASSERT_EQ(engine.samples.size(), 1u);
  EXPECT_EQ(engine.samples[0].realtime, UtcTime::from_unix(1'800'000'000));
  EXPECT_EQ(engine.samples[0].kernel_maxerror, Duration::microseconds(250));
  EXPECT_TRUE(engine.samples[0].kernel_synchronized);
  ASSERT_EQ(publisher.published.size(), 1u);
  EXPECT_EQ(publisher.published[0].counter_id, 0xFE);
  EXPECT_EQ(driver->stats().system_samples, 1u);
}

TEST_F(DriverTest, ReResolvesWhenAskedAndMovesAPoolToItsNextAddress) {
  SourceEntry pool = server("pool.example.org");
  pool.mode = SourceMode::Pool;
  resolver.names["pool.example.org"] = {0x0A000001u, 0x0A000002u};
  configure({pool});
  Actions t;
  t.resolve = {0};
  t.next_timer = Duration::seconds(1000);
  t.sends = {request(0, 5)};
  engine.start_actions.next_timer = Duration::seconds(1);
  engine.timer_script = {t};
  run_until(2000);
  EXPECT_EQ(resolver.calls, 2);
  ASSERT_EQ(backend.sent().size(), 1u);
  EXPECT_EQ(backend.sent()[0].to, (Ipv4Endpoint{0x0A000002u, 123}));
  EXPECT_EQ(driver->address(0), (Ipv4Endpoint{0x0A000002u, 123}));
  EXPECT_TRUE(log.contains("pool.example.org: address 10.0.0.1:123"));
}

TEST_F(DriverTest, ASourceWhoseNameDoesNotResolveIsNotSentToAndWarnsOnce) {
  configure({server("nowhere.invalid")});
  Actions t;
  t.resolve = {0};
  t.sends = {request(0, 5)};
  t.next_timer = Duration::seconds(1);
  engine.start_actions = t;
  engine.timer_script = {t, t};
  run_until(2500);
  EXPECT_TRUE(backend.sent().empty());
  EXPECT_EQ(driver->stats().unaddressed, 3u);
  int warnings = 0;
  for (const auto& l : log.lines) warnings += l.find("cannot resolve") != std::string::npos;
  EXPECT_EQ(warnings, 1);
}

TEST_F(DriverTest, WritesTheSourcesPageWhenSourcesChangeAndEveryTenSeconds) {
  configure({server("192.0.2.1")});
  run_until(25'000);
  // At start (dirty), then refreshed at 10 s and 20 s.
  ASSERT_EQ(sources_pages.size(), 3u);
  const auto j = nlohmann::json::parse(sources_pages.back());
  EXPECT_EQ(j["daemon"]["pid"], 77);
  EXPECT_EQ(j["page"], "/tmp/page");
  ASSERT_EQ(j["sources"].size(), 1u);
  EXPECT_EQ(j["sources"][0]["name"], "192.0.2.1");
  EXPECT_EQ(j["sources"][0]["address"], "192.0.2.1:123");
}

TEST_F(DriverTest, ASourcesChangeRewritesThePageAtOnce) {
  configure({server("192.0.2.1")});
  engine.packet_actions.sources_changed = true;
  backend.deliver_at(at_ms(3000), kServerA, Ipv4Endpoint::loopback(40000), reply_bytes(1));
  run_until(5000);
  EXPECT_EQ(sources_pages.size(), 2u);
}

TEST_F(DriverTest, StepsAreLoggedAndReachTheListeners) {
  configure({server("192.0.2.1")});
  core::engine::StepNotice step;
  step.reason = core::engine::StepReason::Reanchor;
  step.generation = 4;
  step.amount = Duration::milliseconds(1500);
  engine.start_actions.step = step;
  engine.start_actions.logs = {{core::engine::LogLevel::Notice, "engine says hello"}};
  std::vector<uint64_t> heard;
  driver->add_step_listener([&](const core::engine::StepNotice& n) { heard.push_back(n.generation); });
  run_until(10);
  EXPECT_EQ(heard, (std::vector<uint64_t>{4}));
  EXPECT_TRUE(log.contains("<5>engine says hello"));
  EXPECT_TRUE(log.contains("step generation 4, by 1.500000 s"));
}

TEST_F(DriverTest, ALeapFileGoesToTheEngineAndABadOneIsOneWarning) {
  configure({server("192.0.2.1")});
  leap.set_text("not a leap file\n");
  run_until(10);
  EXPECT_TRUE(engine.leap_tables.empty());
  int warnings = 0;
  for (const auto& l : log.lines) warnings += l.rfind("<4>leap file leap.list", 0) == 0;
  EXPECT_EQ(warnings, 1);
}

TEST_F(DriverTest, AValidLeapFileIsPassedOnAndReloadedDaily) {
  std::ifstream in(std::string(FFCLOCK_SOURCE_DIR) + "/tests/data/leap-seconds.list");
  std::stringstream ss;
  ss << in.rdbuf();
  leap.set_text(ss.str());
  kernel.now = UtcTime::from_unix(1'700'000'000);
  configure({server("192.0.2.1")});
  run_until(25LL * 3600 * 1000);
  ASSERT_EQ(engine.leap_tables.size(), 2u);
  EXPECT_GT(engine.leap_tables[0], 20u);
}

}  // namespace
}  // namespace ffclock::daemon
