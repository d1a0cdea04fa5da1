// SPDX-License-Identifier: BSD-2-Clause
// The shipped multi-server and leap scenarios, shortened, through the whole engine: selection
// against ground truth (falseticker, handover), the step rule, and leap seconds both ways and
// from the leap file. Loose bounds: regressions, not figures of merit.

#include <gtest/gtest.h>

#include "sim/estimator_clock.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulation.hpp"

namespace ffclock::sim {
namespace {

Scenario load(const char* name, double warmup_s, double duration_s) {
  auto r = load_scenario_file(std::string(FFCLOCK_SOURCE_DIR) + "/sim/scenarios/" + name);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
  Scenario s = *r;
  s.metrics.warmup_s = warmup_s;
  s.metrics.duration_s = duration_s;
  return s;
}

RunResult run(const Scenario& s) {
  core::EstimatorConfig c = s.estimator;
  c.nominal_period_s = 1.0L / s.oscillator.nominal_hz;
  c.poll_s = s.client.poll_s;
  EstimatorClock clock(c);
  return simulate(s, 1, clock);
}

TEST(EngineScenarios, FalsetickerIsMarkedAndIgnored) {
  const Scenario s = load("falseticker.toml", 3600, 8 * 3600);
  ASSERT_EQ(s.server_count(), 3u);
  const RunResult r = run(s);
  ASSERT_EQ(r.sources.size(), 3u);
  EXPECT_EQ(r.sources[1].state, "falseticker");
  EXPECT_EQ(r.sources[0].state, "selected");
  const Summary m = r.metrics.summary(r.convergence_s);
  EXPECT_LT(m.abs_max_us, 50.0);
  EXPECT_DOUBLE_EQ(m.coverage, 1.0);
  EXPECT_EQ(r.steps, 0u);
}

// A server that stamps like chronyd with no turnaround: Te before Tb in most replies, within
// its precision. No reply is lost, and the clock is as good as on lan.
TEST(EngineScenarios, AChronyLikeServerLosesNoReply) {
  const Scenario s = load("chrony-server.toml", 3600, 8 * 3600);
  EXPECT_EQ(s.server.processing_s, 0.0);
  EXPECT_GT(s.server.transmit_fuzz_s, 0.0);
  const RunResult r = run(s);
  ASSERT_EQ(r.sources.size(), 1u);
  EXPECT_EQ(r.sources[0].rejected, 0u);
  EXPECT_EQ(r.sources[0].state, "selected");
  EXPECT_EQ(r.verdicts.insane, 0u);
  const Summary m = r.metrics.summary(r.convergence_s);
  EXPECT_LT(m.abs_rms_us, 3.0);
  EXPECT_DOUBLE_EQ(m.coverage, 1.0);
}

TEST(EngineScenarios, HandoverToTheRemainingServer) {
  const Scenario s = load("handover.toml", 3600, 8 * 3600);
  const RunResult r = run(s);
  EXPECT_EQ(r.sources[0].state, "unreachable");
  EXPECT_EQ(r.sources[1].state, "selected");
  const Summary m = r.metrics.summary(r.convergence_s);
  EXPECT_LT(m.abs_max_us, 100.0);
  EXPECT_DOUBLE_EQ(m.coverage, 1.0);
}

TEST(EngineScenarios, PermanentStepIsFollowedAfterTheStepout) {
  const Scenario s = load("permanent-step.toml", 3600, 8 * 3600);
  const RunResult r = run(s);
  EXPECT_EQ(r.steps, 1u);
  ASSERT_EQ(r.events.size(), 1u);
  // The clock rode the step out for the 900 s stepout, then followed the server.
  EXPECT_EQ(r.metrics.summary(r.convergence_s).monotonic_backsteps, 0u);
  EXPECT_GT(r.events[0].worst_abs_error_us, 0.99e6);
}

class EngineLeap : public ::testing::TestWithParam<const char*> {};

TEST_P(EngineLeap, LeapChangesNothingButUtc) {
  const Scenario s = load(GetParam(), 12 * 3600, 12 * 3600);
  const RunResult r = run(s);
  const Summary m = r.metrics.summary(r.convergence_s);
  EXPECT_LT(m.abs_max_us, 50.0);
  EXPECT_DOUBLE_EQ(m.coverage, 1.0);
  EXPECT_EQ(m.monotonic_backsteps, 0u);
  EXPECT_EQ(m.unavailable, 0u);
}

INSTANTIATE_TEST_SUITE_P(Shipped, EngineLeap,
                         ::testing::Values("leap-pos.toml", "leap-neg.toml", "leap-file.toml"));

}  // namespace
}  // namespace ffclock::sim
