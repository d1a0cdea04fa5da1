// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// ffclockd's driver with the real sync engine on the simulated runtime, every other hand a
// fake: the rig the driver's simulation tests share. Virtual time starts at kStartNs; the sim
// counter reads virtual nanoseconds and true UTC at virtual time 0 is kBase.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "daemon/driver.hpp"
#include "runtime/sim/sim_backend.hpp"

namespace ffclock::test {

inline constexpr int64_t kStartNs = 1'000'000'000;
inline const UtcTime kBase = UtcTime::from_unix(1'800'000'000);

// True UTC at a virtual instant.
inline UtcTime true_utc(runtime::MonoTime t) { return kBase + Duration::nanoseconds(runtime::mono_to_ns(t)); }

class DriverSimRig : public ::testing::Test {
 protected:
  // Parses `toml` and builds the engine (told it counts `kind`) and the driver; `extra` adds
  // hands of its own (a vmclock device).
  void start(const std::string& toml, platform::CounterKind kind = platform::CounterKind::MonotonicRaw,
             const std::function<void(const daemon::DaemonConfig&, daemon::DriverHands&)>& extra = {}) {
    auto cfg = daemon::parse_daemon_config(toml, "sim.toml");
    ASSERT_TRUE(cfg) << daemon::describe(cfg.error());
    platform::CounterInfo info{"sim", kind, 1'000'000'000, true, "virtual"};
    engine = std::make_unique<daemon::SyncEnginePort>(daemon::to_engine_config(*cfg, info, kBase, 7));
    daemon::DriverHands hands;
    hands.open_port = [this] { return backend.open_udp(platform::Ipv4Endpoint::loopback(next_port++)); };
    hands.resolver = &resolver;
    hands.sampler = &sampler;
    hands.kernel = &kernel;
    hands.page = &publisher;
    hands.write_sources_page = [this](const std::string& text) -> std::optional<std::string> {
      sources_page = text;
      return std::nullopt;
    };
    hands.log = &log;
    if (extra) extra(*cfg, hands);
    if (HasFatalFailure()) return;
    driver = std::make_unique<daemon::Driver>(sched, *engine, cfg->sources, std::move(hands),
                                              daemon::DriverOptions{});
    ASSERT_FALSE(driver->open());
  }

  // Runs the driver, and `script` beside it, until `seconds` of virtual time.
  void run_for(int64_t seconds, std::function<runtime::Task<void>()> script = {}) {
    backend.stop_at(runtime::mono_from_ns(kStartNs + seconds * 1'000'000'000));
    auto root = [&]() -> runtime::Task<void> {
      auto d = sched.spawn(driver->run());
      runtime::JoinHandle<void> s;
      if (script) s = sched.spawn(script());
      (void)co_await d.join();
    };
    auto r = sched.run(root());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), runtime::RunError::Stopped);
  }

  // The last publication's error against true time now.
  [[nodiscard]] Duration error_now() {
    const core::PageInput& last = publisher.published.back();
    return last.params.time_at(counter.read()) - true_utc(backend.now());
  }

  runtime::sim::SimBackend backend{runtime::mono_from_ns(kStartNs)};
  runtime::sim::SimCounter counter{backend, 1'000'000'000, 0};
  runtime::Scheduler sched{backend, counter};
  uint16_t next_port = 41000;
  platform::FakeNameResolver resolver;
  platform::FakeKernelClock kernel;
  platform::SystemClockSampler sampler{counter, kernel};
  daemon::RecordingPublisher publisher;
  std::string sources_page;
  daemon::MemoryLog log;
  std::unique_ptr<daemon::SyncEnginePort> engine;
  std::unique_ptr<daemon::Driver> driver;
};

}  // namespace ffclock::test
