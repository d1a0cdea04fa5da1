// SPDX-License-Identifier: BSD-2-Clause
#include "sim/scenario_loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace ffclock::sim {
namespace {

const std::string kScenarios = std::string(FFCLOCK_SOURCE_DIR) + "/sim/scenarios";

constexpr const char* kMinimal = R"(
[network.both]
min_s = 1e-4
)";

ScenarioError error_of(const std::string& text) {
  const auto r = parse_scenario(text, "test.toml");
  EXPECT_FALSE(r.has_value()) << text;
  return r ? ScenarioError{} : r.error();
}

TEST(ScenarioLoader, ReferenceLanIsAsDefined) {
  const auto r = load_scenario_file(kScenarios + "/lan.toml");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  const Scenario& s = *r;
  EXPECT_EQ(s.name, "lan");
  EXPECT_DOUBLE_EQ(s.oscillator.skew_ppm, 100);
  EXPECT_DOUBLE_EQ(s.oscillator.wander_ppb, 1);
  EXPECT_DOUBLE_EQ(s.forward.min_s, 100e-6);
  EXPECT_DOUBLE_EQ(s.backward.queue_mean_s, 10e-6);
  EXPECT_EQ(s.client.poll_s, 16);
  EXPECT_DOUBLE_EQ(s.client.initial_offset_s, 0.1);
  EXPECT_DOUBLE_EQ(s.metrics.warmup_s, 3600);
  EXPECT_DOUBLE_EQ(s.metrics.duration_s, 86400);
}

TEST(ScenarioLoader, BaseIsInheritedAndOverridden) {
  const auto r = load_scenario_file(kScenarios + "/lanjit-poll64.toml");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->name, "lanjit-poll64");
  EXPECT_EQ(r->client.poll_s, 64);
  EXPECT_DOUBLE_EQ(r->forward.queue_mean_s, 100e-6);  // from lanjit
  EXPECT_DOUBLE_EQ(r->forward.min_s, 100e-6);         // from lan
}

TEST(ScenarioLoader, WanAndCongestedAreAsDefined) {
  const auto wan = load_scenario_file(kScenarios + "/wan.toml");
  ASSERT_TRUE(wan.has_value()) << wan.error().message();
  EXPECT_DOUBLE_EQ(wan->forward.min_s, 10.05e-3);
  EXPECT_DOUBLE_EQ(wan->backward.min_s, 9.95e-3);
  EXPECT_DOUBLE_EQ(wan->backward.queue_mean_s, 0.5e-3);
  const auto c = load_scenario_file(kScenarios + "/congested.toml");
  ASSERT_TRUE(c.has_value()) << c.error().message();
  ASSERT_EQ(c->forward.congestion.size(), 1u);
  EXPECT_DOUBLE_EQ(c->forward.congestion[0].start_s, 480);
  EXPECT_DOUBLE_EQ(c->forward.congestion[0].mean_s, 10e-3);
  EXPECT_DOUBLE_EQ(c->backward.congestion[0].mean_s, 2e-3);
  EXPECT_DOUBLE_EQ(c->forward.spike_prob, 0.05);
}

TEST(ScenarioLoader, EveryShippedScenarioLoads) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kScenarios)) {
    if (entry.path().extension() != ".toml") continue;
    const auto r = load_scenario_file(entry.path().string());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
    ++n;
  }
  EXPECT_GE(n, 16);
}

TEST(ScenarioLoader, EventsAreParsedAndSorted) {
  const auto r = parse_scenario(std::string(kMinimal) + R"(
[[events]]
type = "migration"
at_s = 500
counter_jump_s = 3.5
freq_step_ppm = 5
[[events]]
type = "level_shift"
at_s = 100
delta_s = 1e-3
direction = "forward"
)",
                                "t.toml");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[0].kind, EventKind::LevelShift);
  EXPECT_EQ(r->events[0].direction, Direction::Forward);
  EXPECT_EQ(r->events[1].kind, EventKind::Migration);
  EXPECT_DOUBLE_EQ(r->events[1].jump_s, 3.5);
  EXPECT_DOUBLE_EQ(r->events[1].value, 5);
}

// An [estimator] table overrides the estimator's defaults; absent keys keep them.
TEST(ScenarioLoader, EstimatorTableOverridesDefaults) {
  const auto r = parse_scenario(std::string(kMinimal) + R"(
[estimator]
skm_scale_s = 512
fit_window_max = 64
offset_soft_ratio = 0
difference_clock_uses_local_period = false
innovation_memory = 32
change_point_z = 0
window_mix_sharpness = 0
)",
                                "test.toml");
  ASSERT_TRUE(r) << r.error().message();
  const core::EstimatorConfig defaults;
  EXPECT_DOUBLE_EQ(r->estimator.skm_scale_s, 512);
  EXPECT_EQ(r->estimator.fit_window_max, 64);
  EXPECT_DOUBLE_EQ(r->estimator.offset_soft_ratio, 0);
  EXPECT_FALSE(r->estimator.difference_clock_uses_local_period);
  EXPECT_DOUBLE_EQ(r->estimator.innovation_memory, 32);
  EXPECT_DOUBLE_EQ(r->estimator.change_point_z, 0);
  EXPECT_DOUBLE_EQ(r->estimator.window_mix_sharpness, 0);
  EXPECT_DOUBLE_EQ(r->estimator.rate_err_bound, defaults.rate_err_bound);
  EXPECT_EQ(r->estimator.fit_window_min, defaults.fit_window_min);

  EXPECT_EQ(error_of(std::string(kMinimal) + "[estimator]\nskm_scale = 5\n").key, "estimator.skm_scale");
  const ScenarioError order =
      error_of(std::string(kMinimal) + "[estimator]\nfit_window_min = 32\nfit_window_max = 8\n");
  EXPECT_EQ(order.key, "estimator.fit_window_max");
}

TEST(ScenarioLoader, UnknownKeyNamesFileAndKey) {
  const ScenarioError e = error_of("[network.both]\nmin_s = 1e-4\nmean_s = 3\n");
  EXPECT_EQ(e.file, "test.toml");
  EXPECT_EQ(e.key, "network.both.mean_s");
  EXPECT_EQ(e.reason, "unknown key");
  EXPECT_EQ(e.message(), "test.toml: network.both.mean_s: unknown key");
}

TEST(ScenarioLoader, WrongTypeAndRange) {
  EXPECT_EQ(error_of("[network.both]\nmin_s = \"fast\"\n").reason, "expected a number");
  const ScenarioError range = error_of("[network.both]\nmin_s = -1\n");
  EXPECT_EQ(range.key, "network.both.min_s");
  EXPECT_NE(range.reason.find("out of range"), std::string::npos);
  EXPECT_EQ(error_of(std::string(kMinimal) + "[client]\npoll_s = 16.5\n").reason, "expected an integer");
  const ScenarioError maxpoll = error_of(std::string(kMinimal) + "[client]\npoll_s = 64\nmaxpoll_s = 32\n");
  EXPECT_EQ(maxpoll.key, "client.maxpoll_s");
  EXPECT_EQ(maxpoll.reason, "must be 0 or at least poll_s");
}

TEST(ScenarioLoader, MissingNetworkAndMissingEventKeys) {
  EXPECT_EQ(error_of("name = \"x\"\n").key, "network.forward");
  const ScenarioError e = error_of(std::string(kMinimal) + "[[events]]\ntype = \"outage\"\nat_s = 5\n");
  EXPECT_EQ(e.key, "events[0].duration_s");
  EXPECT_EQ(e.reason, "required key is missing");
  const ScenarioError t = error_of(std::string(kMinimal) + "[[events]]\ntype = \"earthquake\"\nat_s = 5\n");
  EXPECT_EQ(t.key, "events[0].type");
  EXPECT_NE(t.reason.find("level_shift"), std::string::npos);
}

TEST(ScenarioLoader, SyntaxErrorGivesLine) {
  const ScenarioError e = error_of("[network.both\nmin_s = 1\n");
  EXPECT_EQ(e.file, "test.toml");
  EXPECT_NE(e.reason.find("line 1"), std::string::npos) << e.reason;
}

TEST(ScenarioLoader, MissingFileAndMissingBase) {
  const auto r = load_scenario_file(kScenarios + "/no-such-scenario.toml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().reason, "No such file or directory");
  const ScenarioError e = error_of("base = \"nowhere.toml\"\n");
  EXPECT_EQ(e.key, "base");
  EXPECT_NE(e.reason.find("nowhere.toml"), std::string::npos);
}

TEST(ScenarioLoader, NonFiniteAndOverflowingValuesNameTheKey) {
  // TOML has nan and inf literals; the range check must refuse them, not let them through.
  const ScenarioError nan = error_of(std::string(kMinimal) + "[metrics]\nduration_s = nan\n");
  EXPECT_EQ(nan.key, "metrics.duration_s");
  EXPECT_NE(nan.reason.find("out of range"), std::string::npos) << nan.reason;
  EXPECT_EQ(error_of(std::string(kMinimal) + "[metrics]\nwarmup_s = -inf\n").key, "metrics.warmup_s");
  EXPECT_EQ(error_of(std::string(kMinimal) + "[metrics]\nduration_s = -5\n").key, "metrics.duration_s");
  EXPECT_EQ(
      error_of(std::string(kMinimal) + "[[events]]\ntype = \"outage\"\nat_s = nan\nduration_s = 5\n").key,
      "events[0].at_s");
  // A number beyond 64 bits (integer) or beyond double is a syntax error with its line.
  const ScenarioError big = error_of(std::string(kMinimal) + "seed = 99999999999999999999999\n");
  EXPECT_NE(big.reason.find("line 4"), std::string::npos) << big.reason;
  const ScenarioError huge = error_of(std::string(kMinimal) + "[oscillator]\nskew_ppm = 1e400\n");
  EXPECT_NE(huge.reason.find("line 5"), std::string::npos) << huge.reason;
}

TEST(ScenarioLoader, OnlyRegularFilesAreRead) {
  const auto zero = load_scenario_file("/dev/zero");
  ASSERT_FALSE(zero.has_value());
  EXPECT_EQ(zero.error().reason, "not a regular file");
  const auto dir = load_scenario_file(kScenarios);
  ASSERT_FALSE(dir.has_value());
  EXPECT_EQ(dir.error().reason, "is a directory, not a file");
}

}  // namespace
}  // namespace ffclock::sim
