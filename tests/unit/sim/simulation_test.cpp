// SPDX-License-Identifier: BSD-2-Clause
#include "sim/simulation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sim/naive_clock.hpp"
#include "sim/report.hpp"
#include "sim/svg_plot.hpp"

namespace ffclock::sim {
namespace {

// A quiet world: constant skew, fixed delays, perfect server.
Scenario quiet(double fwd_min, double back_min) {
  Scenario s;
  s.name = "quiet";
  s.oscillator.skew_ppm = 100;
  s.forward.min_s = fwd_min;
  s.backward.min_s = back_min;
  s.server.processing_s = 10e-6;
  s.metrics.warmup_s = 600;
  s.metrics.duration_s = 7200;
  return s;
}

// Records what the simulated daemon asked of the clock, and forwards to the naive clock.
class SpyClock final : public ClockUnderTest {
 public:
  core::ExchangeVerdict add(const core::Exchange& e) override {
    ++adds;
    if (last_ta) gaps_ticks.push_back(e.ta - *last_ta);
    last_ta = e.ta;
    return inner.add(e);
  }
  std::optional<core::ClockParams> params() const override { return inner.params(); }
  void set_poll(int p) override { polls.push_back(p); }
  void reset() override {
    ++resets;
    last_ta.reset();
    inner.reset();
  }
  NaiveClock inner{1e-9L};
  int adds = 0, resets = 0;
  std::vector<int> polls;
  std::optional<uint64_t> last_ta;
  std::vector<uint64_t> gaps_ticks;
};

TEST(Simulation, AsymmetryGivesHalfTheDifferenceAsBias) {
  // 150 µs out, 50 µs back: a two-way method is off by exactly +50 µs.
  const Scenario s = quiet(150e-6, 50e-6);
  NaiveClock clock(1e-9L);
  const RunResult r = simulate(s, 1, clock);
  const Summary m = r.metrics.summary(r.convergence_s);
  EXPECT_EQ(m.samples, 7200u);
  EXPECT_NEAR(m.abs_mean_us, 50.0, 0.05);
  EXPECT_NEAR(m.abs_rms_us, 50.0, 0.05);
  EXPECT_NEAR(m.abs_median_us, 50.0, 0.25);
  EXPECT_LT(std::fabs(m.rate_rms_ppb), 0.5);
  EXPECT_LT(m.diff1000_rms_ns, 1000.0);
  EXPECT_DOUBLE_EQ(m.coverage, 1.0);  // the bound is half the RTT (> 100 µs)
  EXPECT_EQ(m.monotonic_backsteps, 0u);
  ASSERT_TRUE(r.convergence_s.has_value());
  EXPECT_LT(*r.convergence_s, 10.0);  // the first reply arrives within a second
}

TEST(Simulation, SymmetricQuietPathIsNearlyExact) {
  const Scenario s = quiet(100e-6, 100e-6);
  NaiveClock clock(1e-9L);
  const RunResult r = simulate(s, 1, clock);
  const Summary m = r.metrics.summary(r.convergence_s);
  EXPECT_LT(m.abs_max_us, 0.01);
  EXPECT_LT(m.diff1_max_ns, 0.01);
}

TEST(Simulation, PollScheduleBurstThenGrid) {
  Scenario s = quiet(100e-6, 100e-6);
  s.client.burst = 4;
  s.client.burst_spacing_s = 2;
  SpyClock spy;
  const RunResult r = simulate(s, 1, spy);
  // 4 burst exchanges at 2 s spacing, then one every 16 s over 7800 s.
  EXPECT_EQ(spy.adds, 4 + static_cast<int>((7800 - 6) / 16));
  EXPECT_EQ(r.exchanges, static_cast<uint64_t>(spy.adds));
  // The engine schedules in nominal counter ticks and is woken by timers in true time, so a
  // gap lies between the nominal ticks and the true seconds of the skewed counter.
  EXPECT_NEAR(static_cast<double>(spy.gaps_ticks[0]), 2e9 * (1 + 100e-6), 100);
  EXPECT_NEAR(static_cast<double>(spy.gaps_ticks[10]), 16e9 * (1 + 100e-6), 100);
}

TEST(Simulation, PollChangeIsPassedOnAndApplied) {
  Scenario s = quiet(100e-6, 100e-6);
  Event e;
  e.kind = EventKind::PollChange;
  e.at_s = 4000;
  e.poll_s = 64;
  s.events = {e};
  SpyClock spy;
  (void)simulate(s, 1, spy);
  ASSERT_EQ(spy.polls, std::vector<int>{64});
  EXPECT_GE(static_cast<double>(spy.gaps_ticks.back()), 64e9);
  EXPECT_LE(static_cast<double>(spy.gaps_ticks.back()), 64e9 * (1 + 100e-6) + 100);
}

TEST(Simulation, AdaptivePollDoublesUpToMaxpoll) {
  Scenario s = quiet(100e-6, 100e-6);
  s.client.maxpoll_s = 64;
  SpyClock spy;
  (void)simulate(s, 1, spy);
  // As ffclockd's sources: 16 s, then 32 and 64 after runs of good replies, never beyond.
  ASSERT_EQ(spy.polls, (std::vector<int>{32, 64}));
  EXPECT_GE(static_cast<double>(spy.gaps_ticks.back()), 64e9);
  EXPECT_LE(static_cast<double>(spy.gaps_ticks.back()), 64e9 * (1 + 100e-6) + 100);
}

TEST(Simulation, MigrationResetsTheClockAndRecovers) {
  Scenario s = quiet(100e-6, 100e-6);
  Event e;
  e.kind = EventKind::Migration;
  e.at_s = 4000;
  e.jump_s = 500;
  e.value = 5;
  s.events = {e};
  SpyClock spy;
  const RunResult r = simulate(s, 1, spy);
  EXPECT_EQ(spy.resets, 1);
  ASSERT_EQ(r.events.size(), 1u);
  ASSERT_TRUE(r.events[0].recovery_s.has_value());
  EXPECT_LE(*r.events[0].recovery_s, 6.0);
  // Until the re-lock (3 exchanges over at least 4 s) the page says UNRELIABLE, which a
  // reader treats as no clock: the naive clock's restart from the nominal period (100 ppm
  // off until its second exchange) is not served, and no sample carries the 500 s jump.
  EXPECT_GE(r.events[0].unavailable_s, 4u);
  EXPECT_LT(r.metrics.summary(r.convergence_s).abs_max_us, 250.0);
}

TEST(Simulation, OutageStopsExchangesButNotRequests) {
  Scenario s = quiet(100e-6, 100e-6);
  Event e;
  e.kind = EventKind::Outage;
  e.at_s = 2000;
  e.duration_s = 1600;  // 100 polls
  s.events = {e};
  NaiveClock clock(1e-9L);
  const RunResult r = simulate(s, 1, clock);
  EXPECT_EQ(r.requests - r.exchanges, 100u);
}

TEST(Simulation, SameSeedSameResultDifferentSeedDifferent) {
  Scenario s = quiet(100e-6, 100e-6);
  s.oscillator.wander_ppb = 1;
  s.forward.queue_mean_s = s.backward.queue_mean_s = 20e-6;
  NaiveClock a(1e-9L), b(1e-9L), c(1e-9L);
  const Summary x = simulate(s, 5, a).metrics.summary(0.0);
  const Summary y = simulate(s, 5, b).metrics.summary(0.0);
  const Summary z = simulate(s, 6, c).metrics.summary(0.0);
  EXPECT_EQ(x.abs_rms_us, y.abs_rms_us);
  EXPECT_EQ(x.rate_rms_ppb, y.rate_rms_ppb);
  EXPECT_NE(x.abs_rms_us, z.abs_rms_us);
}

TEST(Report, JsonHasTheDocumentedKeysAndSvgIsDrawn) {
  const Scenario s = quiet(150e-6, 50e-6);
  NaiveClock clock(1e-9L);
  MultiRun m{"quiet", "", "naive", {simulate(s, 1, clock)}};
  const nlohmann::json j = to_json(m);
  for (const char* k : {"rms", "mean", "median", "p95", "p99", "max"})
    EXPECT_TRUE(j["abs_error_us"].contains(k)) << k;
  EXPECT_TRUE(j["rate_error_ppb"].contains("rms"));
  EXPECT_TRUE(j["diff_error_ns"].contains("1s"));
  EXPECT_TRUE(j["diff_error_ns"].contains("1000s"));
  EXPECT_TRUE(j["bound_width_us"].contains("mean"));
  for (const char* k :
       {"bound_coverage", "convergence_s", "monotonic_backsteps", "exchanges", "simulated_s", "wall_s"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_NEAR(j["abs_error_us"]["mean"].get<double>(), 50.0, 0.05);
  EXPECT_EQ(j["simulated_s"].get<double>(), 7800.0);
  const std::string svg = render_svg(m.runs[0], {"quiet", "sub"});
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_NE(svg.find("(µs)"), std::string::npos);
  EXPECT_NE(svg.find("(hours)"), std::string::npos);
}

TEST(Report, TraceHasEveryMeasuredSecondAsCsv) {
  // 150 µs out, 50 µs back: the naive clock is 50 µs ahead at every measured second.
  const Scenario s = quiet(150e-6, 50e-6);
  NaiveClock clock(1e-9L);
  RunOptions opt;
  opt.trace = true;
  const RunResult r = simulate(s, 1, clock, opt);
  ASSERT_EQ(r.trace.size(), 7200u);
  EXPECT_EQ(r.trace.front().t_s, 600);  // the first second after the warm-up
  EXPECT_EQ(r.trace.back().t_s, 7799);
  for (const TracePoint& p : r.trace) {
    ASSERT_NEAR(p.error_us, 50.0, 0.1) << p.t_s;
    ASSERT_GE(p.maxerror_us, std::fabs(p.error_us)) << p.t_s;  // the naive bound holds here
    ASSERT_GT(p.esterror_us, 0) << p.t_s;
  }
  const std::string csv = format_trace_csv(r);
  EXPECT_EQ(csv.rfind("t_s,error_us,maxerror_us,esterror_us\n600,50", 0), 0u) << csv.substr(0, 80);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7201);
  // Without the option nothing is kept.
  NaiveClock again(1e-9L);
  EXPECT_TRUE(simulate(s, 1, again).trace.empty());
}

}  // namespace
}  // namespace ffclock::sim
