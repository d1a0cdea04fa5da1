// SPDX-License-Identifier: BSD-2-Clause
// A short run of the reference `lan` scenario through the real estimator, with loose bounds:
// catches regressions in the estimator or the simulator, not a figure of merit.

#include <gtest/gtest.h>

#include <algorithm>

#include "sim/estimator_clock.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulation.hpp"

namespace ffclock::sim {
namespace {

core::EstimatorConfig config_for(const Scenario& s) {
  core::EstimatorConfig c;
  c.nominal_period_s = 1.0L / s.oscillator.nominal_hz;
  c.poll_s = s.client.poll_s;
  return c;
}

Scenario load(const char* name, double warmup_s, double duration_s) {
  auto r = load_scenario_file(std::string(FFCLOCK_SOURCE_DIR) + "/sim/scenarios/" + name);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
  Scenario s = *r;
  s.metrics.warmup_s = warmup_s;
  s.metrics.duration_s = duration_s;
  return s;
}

// In warm-up (its first 2 h here) the line still learns p̂ and misses by more than its fit
// says; the misses then must raise the published 1σ (issue 13). pareto-thermal, hours 1-3:
// 96.4 % of samples within 3σ on the fit's 1σ alone, 98.1 % with the misses beyond their own
// standard error (95.0 and 97.4 % while the Kalman candidates learnt their scale over 64
// stamps; 82 and 93 % before the Kalman candidates; 92.6 and 98.5 % while the warm-up took
// p̂'s 1σ for the line's rate and counted the misses' noise as error).
TEST(EndToEnd, EsterrorCountsTheMissesOfTheWarmUp) {
  const Scenario s = load("pareto-thermal.toml", 3600, 2 * 3600);
  auto within_3 = [&](double max_ratio) {
    core::EstimatorConfig c = config_for(s);
    c.warmup_innovation_max_ratio = max_ratio;
    double within = 0;
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      EstimatorClock clock(c);
      const RunResult r = simulate(s, seed, clock);
      within += r.metrics.summary(r.convergence_s).within_3_esterror / 3;
    }
    return within;
  };
  const double fit_alone = within_3(0);
  const double with_misses = within_3(core::EstimatorConfig{}.warmup_innovation_max_ratio);
  RecordProperty("fit_alone", std::to_string(fit_alone));
  RecordProperty("with_misses", std::to_string(with_misses));
  EXPECT_LT(fit_alone, 0.97);                // measured 0.964
  EXPECT_GT(with_misses, 0.975);             // measured 0.981
  EXPECT_GT(with_misses - fit_alone, 0.01);  // measured 0.017
}

// The 1σ from the first exchange on (issue 13's targets, over cold-start's and warm-start's
// hour, seeds 1-3). They were 0.59 and 0.51 (1σ twice the error): the first line's miss (one
// stamp at the nominal period, 100 ppm off) held the warm-up misses at their cap for half an
// hour, a 16-stamp mean of misses is noisy and the larger of it and the fit is biased up, and
// a saved period's claimed bound (0.1 ppm) stood for the line's rate 1σ until a pair of
// stamps beat it, five times the slope's real error. Measured 1.02 and 0.74.
TEST(EndToEnd, TheOneSigmaIsCalibratedFromTheStart) {
  for (const char* name : {"cold-start.toml", "warm-start.toml"}) {
    const Scenario s = load(name, 0, 3600);
    Metrics all;
    core::EstimatorConfig c = config_for(s);  // as ffclock-sim runs it
    c.burst = std::max(1, s.client.burst);
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      EstimatorClock clock(c);
      all.merge(simulate(s, seed, clock).metrics);
    }
    const Summary m = all.summary(std::nullopt);
    RecordProperty(std::string(name) + "_ratio", std::to_string(m.esterror_ratio));
    EXPECT_GE(m.esterror_ratio, 0.7) << name;
    EXPECT_LE(m.esterror_ratio, 1.4) << name;
    EXPECT_GE(m.within_3_esterror, 0.99) << name;
  }
}

// The esterror calibration of one stretch, pooled over seeds 1..n (an event is one draw of
// the noise: a row's figure on few seeds says little).
Summary pooled_over_seeds(const Scenario& s, uint64_t n) {
  Metrics all;
  for (uint64_t seed = 1; seed <= n; ++seed) {
    EstimatorClock clock(config_for(s));
    all.merge(simulate(s, seed, clock).metrics);
  }
  return all.summary(std::nullopt);
}

// After a change point the line re-learns its rate from the stamps after the step, and its
// misses then are the step's transient, not the steady state's error. Averaged into the
// steady state's misses (a 128-stamp memory) they held the 1σ at about twice the error for
// hours: freq-step-congested (−10 ppm at 7 h), from 30 min to 3 h after the step, seeds 1-3,
// ratio 0.41; followed apart while the windows are cut at the hinge, 0.77.
TEST(EndToEnd, TheOneSigmaComesBackAfterAFrequencyStep) {
  Scenario s = load("freq-step-congested.toml", 0, 0);
  ASSERT_EQ(s.events.size(), 1u);
  s.metrics.warmup_s = s.events.front().at_s + 1800;
  s.metrics.duration_s = 9000;
  const Summary m = pooled_over_seeds(s, 3);
  RecordProperty("ratio", std::to_string(m.esterror_ratio));
  EXPECT_GE(m.esterror_ratio, 0.7);  // measured 0.77
  EXPECT_LE(m.esterror_ratio, 1.4);
  EXPECT_GE(m.within_3_esterror, 0.99);
}

// A 30-minute outage: the line runs on alone, and the oscillator's random walk (1 ppb/√s)
// takes its error to tens of µs, growing as age^1.5. The page's linear growth said a third of
// that (ratio 2–4 over the outage); the measured cost of extrapolating lines that far
// (HoldoverVariance), refreshed into the page every 64 s, says it. One outage is one draw of
// the walk, so the figure is pooled over seeds.
TEST(EndToEnd, TheOneSigmaFollowsTheWanderThroughAnOutage) {
  Scenario s = load("outage.toml", 0, 0);
  ASSERT_EQ(s.events.size(), 1u);
  s.metrics.warmup_s = s.events.front().at_s;
  s.metrics.duration_s = s.events.front().duration_s;
  const Summary m = pooled_over_seeds(s, 12);
  RecordProperty("ratio", std::to_string(m.esterror_ratio));
  EXPECT_GE(m.esterror_ratio, 0.7);
  EXPECT_LE(m.esterror_ratio, 1.4);
  EXPECT_GE(m.within_3_esterror, 0.99);
}

TEST(EndToEnd, LanFewHours) {
  const Scenario s = load("lan.toml", 3600, 4 * 3600);
  EstimatorClock clock(config_for(s));
  const RunResult r = simulate(s, 1, clock);
  const Summary m = r.metrics.summary(r.convergence_s);
  EXPECT_EQ(m.unavailable, 0u);
  EXPECT_LT(m.abs_rms_us, 20.0);
  EXPECT_GT(m.coverage, 0.99);
  EXPECT_EQ(m.monotonic_backsteps, 0u);
  ASSERT_TRUE(r.convergence_s.has_value());
  // The published 1σ is calibrated (issue 13's targets): neither the worst-case asymmetry
  // term (ratio 0.5) nor the fit's residuals alone (2 % of samples beyond 3σ).
  EXPECT_GE(m.esterror_ratio, 0.7);
  EXPECT_LE(m.esterror_ratio, 1.4);
  EXPECT_GE(m.within_3_esterror, 0.99);
}

TEST(EndToEnd, MigrationIsRecoveredFrom) {
  Scenario s = load("migration.toml", 3600, 4 * 3600);
  s.events.front().at_s = 3 * 3600;
  EstimatorClock clock(config_for(s));
  const RunResult r = simulate(s, 1, clock);
  ASSERT_EQ(r.events.size(), 1u);
  ASSERT_TRUE(r.events[0].recovery_s.has_value());
  EXPECT_LT(*r.events[0].recovery_s, 600.0);
  EXPECT_LT(r.events[0].worst_abs_error_us, 1000.0);
}

TEST(EndToEnd, SignalledMigrationIsNotDetectedTwice) {
  Scenario s = load("migration.toml", 3600, 4 * 3600);
  s.events.front().at_s = 3 * 3600;
  EstimatorClock clock(config_for(s));
  const RunResult r = simulate(s, 1, clock);
  EXPECT_EQ(r.detected_disruptions, 0u);  // the marker announced it; the watch must not fire again
}

TEST(EndToEnd, UnsignalledMigrationIsFoundByTheWatch) {
  Scenario s = load("migration-unsignalled.toml", 3600, 4 * 3600);
  s.events.front().at_s = 3 * 3600;
  ASSERT_FALSE(s.events.front().signalled);
  EstimatorClock clock(config_for(s));
  const RunResult r = simulate(s, 1, clock);
  EXPECT_EQ(r.detected_disruptions, 1u);
  ASSERT_EQ(r.events.size(), 1u);
  ASSERT_TRUE(r.events[0].recovery_s.has_value());
  EXPECT_LT(*r.events[0].recovery_s, 600.0);
  EXPECT_LT(r.events[0].worst_abs_error_us, 1000.0);
}

TEST(EndToEnd, UnsignalledPauseIsCorrectedByTheSources) {
  Scenario s = load("suspend-unsignalled.toml", 3600, 5 * 3600);
  s.events.front().at_s = 2 * 3600;
  EstimatorClock clock(config_for(s));
  const RunResult r = simulate(s, 1, clock);
  EXPECT_EQ(r.detected_disruptions, 0u);  // nothing for the watch to see
  EXPECT_GE(r.steps, 1u);                 // the step rule re-anchored on the sources
  ASSERT_EQ(r.events.size(), 1u);
  ASSERT_TRUE(r.events[0].recovery_s.has_value());
  EXPECT_LT(*r.events[0].recovery_s, 3600.0);
}

TEST(EndToEnd, WarmStartPublishesFromTheFirstExchange) {
  const Scenario cold = load("cold-start.toml", 0, 600);
  const Scenario warm = load("warm-start.toml", 0, 600);
  ASSERT_FALSE(cold.client.warm_start_error_ppm.has_value());
  ASSERT_TRUE(warm.client.warm_start_error_ppm.has_value());
  EstimatorClock cold_clock(config_for(cold));
  EstimatorClock warm_clock(config_for(warm));
  const RunResult c = simulate(cold, 1, cold_clock);
  const RunResult w = simulate(warm, 1, warm_clock);
  const Summary cs = c.metrics.summary(c.convergence_s);
  const Summary ws = w.metrics.summary(w.convergence_s);
  // Cold, the estimator needs its start burst before it publishes; warm, the first reply.
  EXPECT_GE(cs.unavailable, 8u);
  EXPECT_LE(ws.unavailable, 2u);
  ASSERT_TRUE(w.convergence_s.has_value());
  EXPECT_LE(*w.convergence_s, 2.0);
  EXPECT_EQ(ws.coverage, 1.0);  // and the early bound is honest
}

}  // namespace
}  // namespace ffclock::sim
