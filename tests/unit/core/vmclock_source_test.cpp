// SPDX-License-Identifier: BSD-2-Clause
// The host's vmclock page as a source: the checks that make a reading usable, and the engine
// selecting, combining and refusing it on hand-made worlds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/engine/vmclock_sample.hpp"
#include "engine_world.hpp"

using namespace ffclock;
using namespace ffclock::core;
using namespace ffclock::core::engine;
using ffclock::core::engine::test::HostSpec;
using ffclock::core::engine::test::ServerSpec;
using ffclock::core::engine::test::World;

namespace {

// 2026-06-10T00:00:00 UTC as TAI (TAI − UTC = 37).
const TaiTime kStart = to_tai(UtcTime::from_unix(1'781'049'600), 37);
constexpr uint8_t kTsc = FFCLOCK_COUNTER_X86_TSC;

VmclockSample good_sample() {
  VmclockSample s;
  s.read_counter = 2'000'000'000;
  s.flags = FFCLOCK_FLAG_TIME_MAXERROR_VALID;
  s.clock_status = FFCLOCK_STATUS_SYNCHRONIZED;
  s.counter_id = kTsc;
  s.time_type = FFCLOCK_TIME_UTC;
  s.counter_value = 1'000'000'000;
  s.period = CounterPeriod::from_seconds(1e-9L);
  s.time_sec = 1'781'049'600;
  s.time_maxerror_ns = 40'000;
  return s;
}

std::string refusal(const VmclockSample& s, uint8_t counter = kTsc) {
  auto r = read_host_clock(s, counter, 1'000'000'000);
  return r ? std::string() : r.error();
}

TEST(VmclockSample, AUsableReadingIsTheHostsLineWithItsBound) {
  VmclockSample s = good_sample();
  s.flags |= FFCLOCK_FLAG_PERIOD_MAXERROR_VALID | FFCLOCK_FLAG_TIME_ESTERROR_VALID;
  s.period_maxerror_rate_frac = s.period.frac / 100'000;  // 10 ppm
  s.time_esterror_ns = 5'000;
  s.time_frac = uint64_t{1} << 63;  // .5 s
  auto r = read_host_clock(s, kTsc, 1'000'000'000);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->counter, 1'000'000'000u);
  EXPECT_TRUE(r->utc);
  EXPECT_EQ(UtcTime::from_fixed(r->time), UtcTime::from_unix(1'781'049'600) + Duration::milliseconds(500));
  EXPECT_EQ(r->maxerror, Duration::microseconds(40));
  EXPECT_EQ(r->esterror, Duration::microseconds(5));
  EXPECT_NEAR(r->period_maxerror_rel, 10e-6, 1e-12);
}

TEST(VmclockSample, AHostThatStatesNoRateBoundIsGivenTheWideOne) {
  auto r = read_host_clock(good_sample(), kTsc, 1'000'000'000);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->period_maxerror_rel, kUnstatedHostRateBound);
  EXPECT_EQ(r->esterror, r->maxerror);  // no estimate: its bound is its weight
}

TEST(VmclockSample, RefusesWhatThisMachineCannotUse) {
  VmclockSample s = good_sample();
  s.clock_status = FFCLOCK_STATUS_UNRELIABLE;
  EXPECT_EQ(refusal(s), "host clock is unreliable, not synchronized");
  s.clock_status = FFCLOCK_STATUS_FREERUNNING;
  EXPECT_EQ(refusal(s), "host clock is free-running, not synchronized");

  s = good_sample();
  s.counter_id = FFCLOCK_COUNTER_ARM_VCNT;
  EXPECT_EQ(refusal(s), "host counts cntvct, this daemon tsc");
  EXPECT_EQ(refusal(good_sample(), FFCLOCK_COUNTER_MONOTONIC_RAW),
            "host counts tsc, this daemon monotonic_raw");
  s.counter_id = FFCLOCK_COUNTER_INVALID;
  EXPECT_EQ(refusal(s), "host publishes no counter");

  s = good_sample();
  s.time_type = FFCLOCK_TIME_MONOTONIC;
  EXPECT_EQ(refusal(s), "host publishes monotonic time, not UTC or TAI");
  s.time_type = 7;
  EXPECT_EQ(refusal(s), "host time type 7 is not UTC or TAI");

  s = good_sample();
  s.flags = 0;
  EXPECT_EQ(refusal(s), "host gives no finite error bound");
  s = good_sample();
  s.time_maxerror_ns = UINT64_MAX;
  EXPECT_EQ(refusal(s), "host gives no finite error bound");

  s = good_sample();
  s.period = CounterPeriod::from_seconds(1e-8L);  // a 100 MHz counter is not this 1 GHz one
  EXPECT_EQ(refusal(s), "host period is not this counter's");
  s.period = CounterPeriod{};
  EXPECT_EQ(refusal(s), "host period is not this counter's");
  s = good_sample();
  s.time_sec = uint64_t{1} << 62;
  EXPECT_EQ(refusal(s), "host time out of range");
}

EngineConfig vmclock_config(bool with_servers = false, std::size_t servers = 0) {
  EngineConfig cfg;
  cfg.counter_id = kTsc;
  for (std::size_t i = 0; with_servers && i < servers; ++i) {
    SourceConfig s;
    s.name = "server" + std::to_string(i);
    s.minpoll = 4;
    s.maxpoll = 4;
    cfg.sources.push_back(s);
  }
  SourceConfig v;
  v.name = "vmclock";
  v.mode = SourceMode::Vmclock;
  v.minpoll = 4;  // the engine reads it every second whatever it is told
  v.maxpoll = 6;
  cfg.sources.push_back(v);
  return cfg;
}

// True error of the published clock against its published bound, every second.
bool bound_covers(const World& w, double from, double to) {
  for (double t = from; t <= to; t += 1) {
    const auto* p = w.latest_at(t);
    if (!p) return false;
    const double bound = p->input.params.maxerror_at(w.counter_at(t)).to_seconds();
    if (std::fabs(*w.error_s(t)) > bound) return false;
  }
  return true;
}

TEST(VmclockSource, AloneItSynchronizesFromTheFirstReading) {
  World w({}, vmclock_config(), kStart);
  w.skew_ppm = 25;
  w.host = HostSpec{};
  w.host->offset_s = 20e-6;
  w.start();
  ASSERT_FALSE(w.publications.empty()) << "no publication from the first reading";
  const PageInput& first = w.publications.front().input;
  EXPECT_EQ(w.publications.front().t, 0);
  EXPECT_EQ(first.params.status, SyncStatus::Synchronized);
  EXPECT_FALSE(first.unreliable);
  EXPECT_EQ(first.source.refid, 0x564D434Cu);  // "VMCL"
  EXPECT_EQ(first.source.stratum, 1);
  EXPECT_NEAR(*w.error_s(0), 20e-6, 1e-9);
  EXPECT_NEAR(first.params.time_maxerror.to_seconds(), 50e-6, 1e-9);
  w.run_until(120);
  EXPECT_GE(w.vmclock_reads, 115u);  // read every second
  EXPECT_LE(w.vmclock_reads, 122u);
  EXPECT_TRUE(bound_covers(w, 0, 120));
  EXPECT_NEAR(*w.error_s(120), 20e-6, 1e-9);
  const SourceSnapshot s = w.engine().source(0);
  EXPECT_EQ(s.state, SourceState::Selected);
  EXPECT_EQ(s.poll_log2, 0);
  EXPECT_EQ(s.refid, 0x564D434Cu);
  EXPECT_TRUE(s.unusable.empty());
  EXPECT_EQ(w.engine().summary().selected, std::optional<std::size_t>(0));
}

TEST(VmclockSource, ATaiHostNeedsNoLeapConversion) {
  World utc_world({}, vmclock_config(), kStart);
  World tai_world({}, vmclock_config(), kStart);
  utc_world.host = HostSpec{};
  tai_world.host = HostSpec{};
  tai_world.host->time_type = FFCLOCK_TIME_TAI;
  for (World* w : {&utc_world, &tai_world}) {
    w->host->offset_s = -7e-6;
    w->start();
    w->run_until(10);
    ASSERT_TRUE(w->error_s(10));
    EXPECT_NEAR(*w->error_s(10), -7e-6, 1e-9);
  }
  // Both publish UTC with the same TAI − UTC: the UTC host was unfolded with the leap state.
  EXPECT_EQ(utc_world.publications.back().input.tai_minus_utc,
            tai_world.publications.back().input.tai_minus_utc);
}

TEST(VmclockSource, ItsBoundGrowsAtTheHostsRateBoundSinceTheHostsAnchor) {
  // The host refreshes its page once a minute and its period is 8 ppm off, within the 10 ppm
  // it states: between refreshes the line drifts up to 480 us, and the bound must follow.
  World w({}, vmclock_config(), kStart);
  w.host = HostSpec{};
  w.host->update_every_s = 60;
  w.host->period_error_ppm = 8;
  w.host->rate_maxerror_ppm = 10;
  w.host->maxerror_s = 20e-6;
  w.start();
  // Last read at 599 s, 59 s after the host's anchor at 540 s: 20 us + 59 s * 10 ppm.
  w.run_until(599.5);
  const SourceSnapshot s = w.engine().source(0);
  ASSERT_TRUE(s.bound.has_value());
  EXPECT_NEAR(s.bound->to_seconds(), 20e-6 + 59 * 10e-6, 2e-6);
  w.run_until(600);
  EXPECT_TRUE(bound_covers(w, 0, 600));
  double worst = 0;
  for (double t = 0; t <= 600; t += 1) worst = std::max(worst, std::fabs(*w.error_s(t)));
  EXPECT_GT(worst, 400e-6);  // the drift really happened
}

TEST(VmclockSource, ANonSynchronizedHostIsRefusedWithItsReason) {
  World w({}, vmclock_config(), kStart);
  w.host = HostSpec{};
  w.host->status = FFCLOCK_STATUS_UNRELIABLE;
  w.start();
  w.run_until(30);
  EXPECT_TRUE(w.publications.empty());
  SourceSnapshot s = w.engine().source(0);
  EXPECT_EQ(s.state, SourceState::Unreachable);
  EXPECT_EQ(s.unusable, "host clock is unreliable, not synchronized");
  EXPECT_FALSE(s.bound.has_value());
  EXPECT_GE(s.rejected, 25u);
  // The host synchronizes: the next reading is used.
  w.host->status = FFCLOCK_STATUS_SYNCHRONIZED;
  w.run_until(32);
  ASSERT_FALSE(w.publications.empty());
  EXPECT_EQ(w.publications.back().input.params.status, SyncStatus::Synchronized);
  s = w.engine().source(0);
  EXPECT_EQ(s.state, SourceState::Selected);
  EXPECT_TRUE(s.unusable.empty());
  // ... and withdraws it again: out of selection at once, nothing new published from it.
  const std::size_t n = w.publications.size();
  w.host->status = FFCLOCK_STATUS_FREERUNNING;
  w.run_until(40);
  EXPECT_EQ(w.publications.size(), n);
  EXPECT_EQ(w.engine().source(0).state, SourceState::Unreachable);
  EXPECT_EQ(w.engine().source(0).unusable, "host clock is free-running, not synchronized");
}

TEST(VmclockSource, AnUnreadablePageIsUnusableNotACrash) {
  World w({}, vmclock_config(), kStart);
  w.start();  // no host page at all
  w.run_until(10);
  EXPECT_TRUE(w.publications.empty());
  EXPECT_EQ(w.engine().source(0).state, SourceState::Unreachable);
  EXPECT_EQ(w.engine().source(0).unusable, "no page");
}

TEST(VmclockSource, AForeignCounterIsRefused) {
  World w({}, vmclock_config(), kStart);
  w.host = HostSpec{};
  w.host->counter_id = FFCLOCK_COUNTER_ARM_VCNT;
  w.start();
  w.run_until(5);
  EXPECT_TRUE(w.publications.empty());
  EXPECT_EQ(w.engine().source(0).unusable, "host counts cntvct, this daemon tsc");
}

TEST(VmclockSource, SelectionWeighsItAgainstNtpServers) {
  // Two good servers and a host 1 us off with a 5 us bound: all three agree and are
  // combined; the published bound is the host's, far inside the servers' own (their
  // round trip alone is 200 us).
  World w({ServerSpec{}, ServerSpec{}}, vmclock_config(true, 2), kStart);
  w.host = HostSpec{};
  w.host->offset_s = 1e-6;
  w.host->maxerror_s = 5e-6;
  w.host->esterror_s = 0.5e-6;
  w.start();
  w.run_until(200);
  EXPECT_EQ(w.engine().source(2).state, SourceState::Selected);
  EXPECT_EQ(w.engine().source(0).state, SourceState::Selected);
  ASSERT_TRUE(w.engine().source(0).bound.has_value());
  EXPECT_GT(w.engine().source(0).bound->to_seconds(), 50e-6);
  EXPECT_LT(std::fabs(*w.error_s(200)), 2e-6);
  EXPECT_TRUE(bound_covers(w, 1, 200));
  EXPECT_LT(w.publications.back().input.params.time_maxerror.to_seconds(), 10e-6);
}

TEST(VmclockSource, AHostBeyondItsBoundIsAFalseticker) {
  // The host says +-50 us but is 20 ms off: the two servers outvote it.
  World w({ServerSpec{}, ServerSpec{}}, vmclock_config(true, 2), kStart);
  w.host = HostSpec{};
  w.host->offset_s = 0.020;
  w.start();
  w.run_until(200);
  EXPECT_EQ(w.engine().source(2).state, SourceState::Falseticker);
  EXPECT_EQ(w.engine().summary().selected.value_or(99) < 2, true);
  EXPECT_LT(std::fabs(*w.error_s(200)), 100e-6);
  EXPECT_TRUE(bound_covers(w, 30, 200));
}

TEST(VmclockSource, AfterADisruptionTheHostsReadingRelocksAtOnce) {
  World w({ServerSpec{}}, vmclock_config(true, 1), kStart);
  w.host = HostSpec{};
  w.start();
  w.run_until(100);
  const std::size_t n = w.publications.size();
  w.disrupt(0);
  ASSERT_GT(w.publications.size(), n + 1);
  EXPECT_TRUE(w.publications[n].input.unreliable) << "UNRELIABLE first";
  const PageInput& after = w.publications.back().input;
  EXPECT_FALSE(after.unreliable) << "the host's fresh reading is good time before any NTP exchange";
  EXPECT_EQ(after.source.refid, 0x564D434Cu);
  EXPECT_EQ(w.steps.back().reason, StepReason::Disruption);
  EXPECT_LT(std::fabs(*w.error_s(w.now())), 60e-6);
}

}  // namespace
