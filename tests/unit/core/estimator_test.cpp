// SPDX-License-Identifier: BSD-2-Clause
// The feed-forward estimator through its public API on hand-made exchange sequences: exact
// recovery on a perfect network, warm-up and publication, admission (insane exchanges,
// unsynchronised servers), reset(), the 2036 NTP era boundary and a short noisy simulation.
// Fault scenarios (spikes, level shifts, server steps, holdover) are in
// estimator_faults_test.cpp.
//
// Tolerances are what any correct feed-forward estimator meets on these inputs, not the
// current implementation's figures: other estimator internals may change.
#include "core/estimator/estimator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>

#include "estimator_test_support.hpp"

using namespace ffclock;
using core::ClockParams;
using core::Estimator;
using core::EstimatorConfig;
using core::ExchangeVerdict;
using core::SyncStatus;
using test::config_for;
using test::kNs;
using test::kUs;
using test::Path;

namespace {

// Exchanges until the estimator leaves warm-up (generous: several warm-up windows).
constexpr int64_t kMaxWarmUp = 2000;

// Feeds exchanges [from, to) and returns the index after the last one fed.
int64_t feed(Estimator& est, const Path& path, int64_t from, int64_t to) {
  for (int64_t k = from; k < to; ++k) (void)est.add(path.exchange(k));
  return to;
}

// Feeds until params() reports Synchronized; returns the next exchange index.
int64_t feed_until_synchronized(Estimator& est, const Path& path, int64_t from = 0) {
  int64_t k = from;
  for (; k < from + kMaxWarmUp; ++k) {
    (void)est.add(path.exchange(k));
    const auto p = est.params();
    if (p && p->status == SyncStatus::Synchronized) return k + 1;
  }
  ADD_FAILURE() << "not synchronized after " << kMaxWarmUp << " exchanges";
  return k;
}

// True when every field a reader uses is identical.
void expect_same_params(const std::optional<ClockParams>& a, const std::optional<ClockParams>& b) {
  ASSERT_EQ(a.has_value(), b.has_value());
  if (!a) return;
  EXPECT_EQ(a->anchor_counter, b->anchor_counter);
  EXPECT_EQ(a->anchor_time, b->anchor_time);
  EXPECT_EQ(a->period, b->period);
  EXPECT_EQ(a->local_period, b->local_period);
  EXPECT_EQ(a->time_esterror, b->time_esterror);
  EXPECT_EQ(a->time_maxerror, b->time_maxerror);
  EXPECT_EQ(a->period_maxerror_rel, b->period_maxerror_rel);
  EXPECT_EQ(a->status, b->status);
}

// Counter value `s` seconds after exchange k's reply (a reader between exchanges).
uint64_t counter_after(const Path& path, int64_t k, double s) {
  return path.osc.counter_at(path.send_time(k) + Duration::from_seconds(s));
}

}  // namespace

// 1. Perfect network (constant symmetric delays, constant-rate counter, exact server): the
// estimator learns the counter → time mapping from the server stamps alone (arbitrary counter
// origin, +50 ppm rate error against the nominal period) and recovers period and time
// exactly; the bound covers truth throughout, warm-up included.
TEST(Estimator, PerfectNetworkRecoversPeriodAndTime) {
  Path path;
  path.osc.c0 = 987'654'321'987ULL;          // counter origin unrelated to time
  path.osc.period_s = 1e-9L * (1 + 50e-6L);  // nominal period is 1 ns: 50 ppm off
  path.up = path.down = Duration::microseconds(150);
  Estimator est(config_for(path));

  double worst_synced = 0, worst_period_rel = 0;
  int64_t synced_checks = 0;
  for (int64_t k = 0; k < 900; ++k) {
    (void)est.add(path.exchange(k));
    const auto p = est.params();
    if (!p) continue;
    for (double s : {0.0, 1.0, 8.0, 15.9}) {
      const uint64_t c = counter_after(path, k, s);
      const double err = path.error_at(*p, c);
      ASSERT_LE(std::fabs(err), p->maxerror_at(c).to_seconds()) << "bound violated at exchange " << k;
      if (p->status == SyncStatus::Synchronized) worst_synced = std::max(worst_synced, std::fabs(err));
    }
    if (p->status == SyncStatus::Synchronized) {
      ++synced_checks;
      const long double truth = path.osc.period_s;
      worst_period_rel =
          std::max(worst_period_rel, static_cast<double>(std::fabs(p->period.to_seconds() - truth) / truth));
      worst_period_rel = std::max(
          worst_period_rel, static_cast<double>(std::fabs(p->local_period.to_seconds() - truth) / truth));
    }
  }
  ASSERT_GT(synced_checks, 100) << "never synchronized";
  EXPECT_LT(worst_period_rel, 1e-9);
  EXPECT_LT(worst_synced, 20 * kNs);

  // The difference clock measures an hour with the long-term period to well under a µs.
  const auto p = est.params();
  ASSERT_TRUE(p);
  const UtcTime t = path.send_time(900);
  const Duration measured =
      p->elapsed(path.osc.counter_at(t), path.osc.counter_at(t + Duration::seconds(3600)));
  EXPECT_NEAR(measured.to_seconds(), 3600.0, 100 * kNs);
  RecordProperty("worst_error_ns", std::to_string(worst_synced / kNs));
  RecordProperty("worst_period_rel", std::to_string(worst_period_rel));
}

namespace {

// Runs a perfect path from scratch until synchronised and 50 exchanges more, checking the
// bound at every published exchange; returns the final parameters.
std::optional<ClockParams> run_perfect(const Path& path) {
  Estimator est(config_for(path));
  int64_t k = 0, first_violation = -1;
  for (; k < kMaxWarmUp; ++k) {
    (void)est.add(path.exchange(k));
    const auto p = est.params();
    if (!p) continue;
    const uint64_t c = counter_after(path, k, path.poll_s / 2.0);
    if (first_violation < 0 && std::fabs(path.error_at(*p, c)) > p->maxerror_at(c).to_seconds())
      first_violation = k;
    if (p->status == SyncStatus::Synchronized) break;
  }
  EXPECT_EQ(first_violation, -1) << "bound violated from this exchange on";
  EXPECT_LT(k, kMaxWarmUp) << "not synchronized after " << kMaxWarmUp << " exchanges";
  feed(est, path, k + 1, k + 51);
  const auto p = est.params();
  if (!p) {
    ADD_FAILURE() << "nothing published";
    return p;
  }
  EXPECT_LT(std::fabs(path.error_at(*p, counter_after(path, k + 50, 10))), 20 * kNs);
  EXPECT_NEAR(static_cast<double>(p->period.to_seconds() / path.osc.period_s - 1), 0.0, 1e-9);
  return p;
}

}  // namespace

// 1b. A counter 80 ppm fast (shorter period) and a clock offset hidden in the server stamps
// (the counter was started at an unrelated, sub-second time) are both learnt.
TEST(Estimator, PerfectNetworkLearnsRateErrorAndOffset) {
  Path path;
  path.osc.c0 = 42;
  path.osc.period_s = 1e-9L * (1 - 80e-6L);
  path.osc.start = UtcTime::from_unix(1'234'567'890, 0x1234'5678'9abc'def0ULL);
  path.up = path.down = Duration::microseconds(40);
  (void)run_perfect(path);
}

// 1c. A counter whose rate error times the poll interval exceeds the offset sanity floor
// (100·ts_limit = 1.5 ms), e.g. 300 ppm at poll 16 s or +50 ppm at poll 64 s, still
// synchronises: the first line is drawn with the nominal period, and the sanity gate allows
// candidates to differ from it by that period's error bound, not the current (tighter) one.
// (Regression: it once locked out, the published time drifting at the full rate error.)
TEST(Estimator, PerfectNetworkLearnsLargeRateError) {
  Path fast;
  fast.osc.period_s = 1e-9L * (1 - 300e-6L);
  (void)run_perfect(fast);
  Path slow_poll;
  slow_poll.poll_s = 64;  // default oscillator: +50 ppm
  (void)run_perfect(slow_poll);
}

// 7. Warm-up: nothing is published before `burst` exchanges; then the status is WarmUp (at
// least for the config's warm-up floor) and becomes Synchronized, and stays so on a perfect
// network.
TEST(Estimator, WarmUpThenSynchronized) {
  Path path;
  EstimatorConfig config = config_for(path);
  Estimator est(config);
  EXPECT_FALSE(est.params());
  for (int64_t k = 0; k < config.burst - 1; ++k) {
    const ExchangeVerdict v = est.add(path.exchange(k));
    EXPECT_EQ(v, ExchangeVerdict::UsedWarmUp) << k;
    EXPECT_FALSE(est.params()) << "published after " << k + 1 << " exchanges";
  }
  (void)est.add(path.exchange(config.burst - 1));
  auto p = est.params();
  ASSERT_TRUE(p) << "not published after burst = " << config.burst << " exchanges";
  EXPECT_EQ(p->status, SyncStatus::WarmUp);
  EXPECT_TRUE(est.diagnostics().warming_up);

  // Warm-up lasts at least the configured minimum window.
  int64_t k = config.burst;
  for (; k < config.warmup_window_min - 1; ++k) {
    (void)est.add(path.exchange(k));
    ASSERT_EQ(est.params()->status, SyncStatus::WarmUp) << "left warm-up after " << k + 1 << " exchanges";
  }
  k = feed_until_synchronized(est, path, k);
  EXPECT_FALSE(est.diagnostics().warming_up);
  EXPECT_EQ(est.diagnostics().last_verdict, ExchangeVerdict::Used);
  for (int64_t end = k + 200; k < end; ++k) {
    EXPECT_EQ(est.add(path.exchange(k)), ExchangeVerdict::Used);
    ASSERT_EQ(est.params()->status, SyncStatus::Synchronized) << k;
  }
  EXPECT_EQ(est.diagnostics().rejected, 0u);
  EXPECT_EQ(est.diagnostics().exchanges, static_cast<uint64_t>(k));
}

// 6a. Insane exchanges are refused with RejectedInsane and leave params() untouched; the
// estimator carries on with the next good exchange.
TEST(Estimator, InsaneExchangesRejectedWithoutEffect) {
  Path path;
  EstimatorConfig config = config_for(path);
  Estimator est(config);
  const int64_t k0 = 40;
  feed(est, path, 0, k0);
  const auto before = est.params();
  ASSERT_TRUE(before);
  const core::Exchange last = path.exchange(k0 - 1);
  const core::Exchange next = path.exchange(k0);

  struct Case {
    const char* what;
    core::Exchange ex;
  };
  std::vector<Case> cases;
  auto with = [&](const char* what, auto&& mutate) {
    core::Exchange ex = next;
    mutate(ex);
    cases.push_back({what, ex});
  };
  with("tf < ta", [](core::Exchange& e) { std::swap(e.ta, e.tf); });
  with("te < tb", [](core::Exchange& e) { std::swap(e.tb, e.te); });
  with("ta zero", [](core::Exchange& e) { e.ta = 0; });
  with("tf zero", [](core::Exchange& e) { e.tf = 0; });
  with("tb zero", [](core::Exchange& e) { e.tb = UtcTime{}; });
  with("te zero", [](core::Exchange& e) { e.te = UtcTime{}; });
  with("all zero", [](core::Exchange& e) {
    const core::ServerInfo s = e.server;
    e = core::Exchange{};
    e.server = s;
  });
  with("rtt below min_rtt_ticks", [&](core::Exchange& e) { e.tf = e.ta + config.min_rtt_ticks - 1; });
  with("counter went back", [&](core::Exchange& e) {
    e.ta = last.ta - 1'000'000;
    e.tf = e.ta + (last.tf - last.ta);
  });
  with("tf went back", [&](core::Exchange& e) {
    e.tf = last.tf - 1;
    e.ta = e.tf - 100;
  });
  cases.push_back({"duplicate of the last exchange", last});

  uint64_t rejected = est.diagnostics().rejected;
  const uint64_t accepted = est.diagnostics().exchanges;
  for (const Case& c : cases) {
    EXPECT_EQ(est.add(c.ex), ExchangeVerdict::RejectedInsane) << c.what;
    EXPECT_EQ(est.diagnostics().last_verdict, ExchangeVerdict::RejectedInsane) << c.what;
    EXPECT_EQ(est.diagnostics().rejected, ++rejected) << c.what;
    EXPECT_EQ(est.diagnostics().exchanges, accepted) << c.what;
    SCOPED_TRACE(c.what);
    expect_same_params(est.params(), before);
  }
  // The good exchange is still accepted: nothing above moved the counter history.
  const ExchangeVerdict v = est.add(next);
  EXPECT_TRUE(v == ExchangeVerdict::UsedWarmUp || v == ExchangeVerdict::Used) << static_cast<int>(v);
  EXPECT_EQ(est.diagnostics().exchanges, accepted + 1);
  EXPECT_NE(est.params()->anchor_counter, before->anchor_counter);
}

// 6b. An unsynchronised server (LI 3, stratum 0 = kiss/unspecified, stratum 16) is refused with
// RejectedServer, before and after publication, without touching params().
TEST(Estimator, UnsynchronisedServerRejected) {
  Path path;
  Estimator est(config_for(path));
  std::vector<core::ServerInfo> bad(3, test::good_server());
  bad[0].leap = core::LeapIndicator::Unsynchronized;
  bad[1].stratum = 0;
  bad[2].stratum = 16;

  // Before anything was accepted: nothing is published and nothing is counted as accepted.
  for (const auto& s : bad) {
    core::Exchange ex = path.exchange(0);
    ex.server = s;
    EXPECT_EQ(est.add(ex), ExchangeVerdict::RejectedServer);
  }
  EXPECT_FALSE(est.params());
  EXPECT_EQ(est.diagnostics().exchanges, 0u);

  feed(est, path, 0, 40);
  const auto before = est.params();
  ASSERT_TRUE(before);
  int64_t k = 40;
  for (const auto& s : bad) {
    Path bad_path = path;
    bad_path.server = s;
    bad_path.server_error = Duration::milliseconds(300);  // whatever it says must not matter
    for (int i = 0; i < 5; ++i, ++k)
      EXPECT_EQ(est.add(bad_path.exchange(k)), ExchangeVerdict::RejectedServer);
    expect_same_params(est.params(), before);
  }
  EXPECT_EQ(est.diagnostics().rejected, 18u);
  EXPECT_EQ(est.diagnostics().exchanges, 40u);
  // A good server again: accepted.
  const ExchangeVerdict v = est.add(path.exchange(k));
  EXPECT_TRUE(v == ExchangeVerdict::UsedWarmUp || v == ExchangeVerdict::Used) << static_cast<int>(v);
}

// 8a. reset() on the same host: nothing is published right after it; publication resumes
// after publish_after_reset exchanges with a bound that covers truth, and accuracy returns.
TEST(Estimator, ResetRepublishesQuicklyWithHonestBound) {
  Path path;
  EstimatorConfig config = config_for(path);
  Estimator est(config);
  int64_t k = feed_until_synchronized(est, path);
  k = feed(est, path, k, k + 20);
  est.reset();
  EXPECT_FALSE(est.params()) << "stale parameters published right after reset()";
  for (int i = 0; i < config.publish_after_reset; ++i, ++k) {
    EXPECT_FALSE(est.params());
    (void)est.add(path.exchange(k));
  }
  auto p = est.params();
  ASSERT_TRUE(p) << "not republished after publish_after_reset = " << config.publish_after_reset;
  EXPECT_NE(p->status, SyncStatus::Synchronized);
  for (int64_t end = k + 100; k < end; ++k) {
    for (double s : {0.0, 4.0, 15.9}) {
      const uint64_t c = counter_after(path, k - 1, s);
      EXPECT_LE(std::fabs(path.error_at(*p, c)), p->maxerror_at(c).to_seconds()) << k << " +" << s << " s";
    }
    (void)est.add(path.exchange(k));
    p = est.params();
    ASSERT_TRUE(p);
  }
  // Same host, same network: already accurate again.
  EXPECT_LT(std::fabs(path.error_at(*p, counter_after(path, k - 1, 1))), 1 * kUs);
}

// 8b. reset() after a migration: the counter restarts at an unrelated value and runs 10 ppm
// faster (within reset_period_maxerror_rel). The republished bound covers truth at once, and
// the estimator re-converges.
TEST(Estimator, ResetAfterMigrationBoundCoversTruth) {
  Path path;
  EstimatorConfig config = config_for(path);
  Estimator est(config);
  int64_t k = feed_until_synchronized(est, path);
  k = feed(est, path, k, k + 20);

  Path moved = path;
  moved.osc.start = path.send_time(k);
  moved.osc.c0 = 5'000'000;  // below the old counter: only fine after reset()
  moved.osc.period_s = path.osc.period_s * (1 - 10e-6L);
  est.reset();
  moved.phase = Duration::milliseconds(250);
  double worst_ratio = 0;
  for (int64_t j = 0; j < 600; ++j) {
    (void)est.add(moved.exchange(j));
    const auto p = est.params();
    if (j + 1 >= config.publish_after_reset) {
      ASSERT_TRUE(p) << j;
    }
    if (!p) continue;
    for (double s : {0.0, 8.0, 15.9}) {
      const uint64_t c = counter_after(moved, j, s);
      const double err = std::fabs(moved.error_at(*p, c));
      const double bound = p->maxerror_at(c).to_seconds();
      ASSERT_LE(err, bound) << "exchange " << j << " +" << s << " s";
      worst_ratio = std::max(worst_ratio, err / bound);
    }
  }
  const auto p = est.params();
  EXPECT_LT(std::fabs(moved.error_at(*p, counter_after(moved, 599, 8))), 1 * kUs);
  EXPECT_NEAR(static_cast<double>(p->period.to_seconds() / moved.osc.period_s - 1), 0.0, 1e-8);
  RecordProperty("worst_error_over_bound", std::to_string(worst_ratio));
}

// 5. The NTP era boundary (2036-02-07T06:28:16Z, NTP seconds wrap to 0) is crossed cleanly:
// the sequence starts an hour before and runs two more after; nothing is rejected as insane,
// the error stays at the perfect-network level and the bound covers truth throughout.
TEST(Estimator, CrossesNtpEra2036) {
  constexpr int64_t kEra1 = 2'085'978'496;  // Unix seconds of NTP era 1 start
  Path path;
  path.osc.start = UtcTime::from_unix(kEra1 - 3600);
  Estimator est(config_for(path));
  double worst_after = 0;
  bool crossed = false;
  for (int64_t k = 0; k < 3 * 3600 / path.poll_s; ++k) {
    const core::Exchange ex = path.exchange(k);
    const ExchangeVerdict v = est.add(ex);
    ASSERT_NE(v, ExchangeVerdict::RejectedInsane) << "exchange " << k;
    ASSERT_NE(v, ExchangeVerdict::RejectedServer);
    const auto p = est.params();
    if (!p) continue;
    const uint64_t c = counter_after(path, k, 8);
    const double err = std::fabs(path.error_at(*p, c));
    ASSERT_LE(err, p->maxerror_at(c).to_seconds()) << k;
    if (ex.tb.unix_seconds() >= kEra1) {
      crossed = true;
      // From a few minutes past the crossing the published line was fitted to stamps on both
      // sides of it.
      if (ex.tb.unix_seconds() >= kEra1 + 600) worst_after = std::max(worst_after, err);
    }
  }
  ASSERT_TRUE(crossed);
  EXPECT_EQ(est.diagnostics().rejected, 0u);
  EXPECT_LT(worst_after, 1 * kUs);
  const auto p = est.params();
  ASSERT_TRUE(p);
  EXPECT_GT(p->time_at(counter_after(path, 0, 0)).unix_seconds(), 0);
  EXPECT_LT(std::fabs(path.error_at(*p, counter_after(path, 3 * 3600 / path.poll_s - 1, 8))), 20 * kNs);
  // Reading back across the boundary from the final parameters is exact too.
  EXPECT_LT(std::fabs(path.error_at(*p, path.osc.counter_at(UtcTime::from_unix(kEra1)))), 50 * kNs);
}

// 9. A short noisy LAN simulation (skew, wander, exponential delays): loose accuracy and
// coverage bounds that catch regressions, not small algorithm changes.
TEST(Estimator, NoisyLanScenarioLooseBounds) {
  test::ScenarioSpec spec = test::lan_spec();
  spec.warmup_s = 3600;
  spec.measured_s = 3 * 3600;
  EstimatorConfig config;
  config.poll_s = spec.poll_s;
  for (uint64_t seed : {1u, 2u}) {
    const test::ScenarioResult r = test::run_scenario(spec, config, seed);
    SCOPED_TRACE(seed);
    EXPECT_EQ(r.samples, static_cast<uint64_t>(spec.measured_s));
    EXPECT_LT(r.rms_s, 20 * kUs);
    EXPECT_LT(r.max_abs_s, 100 * kUs);
    EXPECT_GE(r.coverage, 0.999);
    EXPECT_LT(r.mean_bound_s, 5e-3);  // an honest bound, not an infinite one
    EXPECT_EQ(r.change_points, 0u);   // queueing noise is never taken for a step of the rate
    RecordProperty("rms_us_seed" + std::to_string(seed), std::to_string(r.rms_s / kUs));
    RecordProperty("coverage_seed" + std::to_string(seed), std::to_string(r.coverage));
  }
}

// Issue 13: a moving oscillator widens the rate gates instead of being refused by them.
TEST(Estimator, FollowsAFrequencyStepWithAnHonestBound) {
  test::ScenarioSpec spec = test::lan_spec();
  spec.measured_s = 5 * 3600;
  spec.step_ppm = 5;
  spec.step_at_s = 3 * 3600;
  const test::ScenarioResult r = test::run_scenario(spec, EstimatorConfig{}, 7);
  // With the fixed 0.5 ppm bound this was hundreds of µs RMS and the bound failed for hours.
  EXPECT_LT(r.rms_s, 15 * kUs);
  EXPECT_LT(r.max_abs_s, 300 * kUs);
  EXPECT_GE(r.coverage, 0.999);
}

// The step shows in the first stamp after it: that stamp misses the line far beyond what
// noise explains (a change point), the fits restart at the stamp before it, and the clock
// drifts for about one poll (5 ppm × 16 s = 80 µs), not two or more, before it follows.
TEST(Estimator, FollowsAFrequencyStepWithinAboutOnePoll) {
  test::ScenarioSpec spec = test::lan_spec();
  spec.measured_s = 5 * 3600;
  spec.step_ppm = 5;
  spec.step_at_s = 3 * 3600 + 3;  // after warm-up, just after a stamp
  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    const test::ScenarioResult r = test::run_scenario(spec, EstimatorConfig{}, seed);
    // Without the change point: 135–220 µs, 4.4–7.3 µs RMS on these seeds (noisier than
    // the simulator's lan: the first stamp misses by 50–70 µs against a 1σ of 5 µs).
    EXPECT_EQ(r.change_points, 1u);
    EXPECT_LT(r.max_abs_s, 120 * kUs);
    EXPECT_LT(r.rms_s, 4 * kUs);
    EXPECT_GE(r.coverage, 0.999);
  }
}

// Mixing the candidate lines by their scores beats publishing the best-scored one alone on
// noisy paths. The margin is small: measured here over 8 seeds, lanjit 5.83 → 5.77 µs,
// congested 10.61 → 10.42 µs (ffclock-sim, every scenario: geometric mean 0.97×). It once
// looked like 20 % (windows only, 4 seeds), but most of that was a run start whose typical E
// climbed from 0 and froze the burst's slope, which mixing softened (see
// ACongestedStartKeepsNoSlopeFromTheBurst).
namespace {

// RMS error over `seeds` (all samples) of configurations a and b on the same draws; b's bound
// must hold.
struct RmsPair {
  double a = 0, b = 0;
};
RmsPair compare_configs(const test::ScenarioSpec& spec, const EstimatorConfig& a, const EstimatorConfig& b,
                        std::initializer_list<uint64_t> seeds) {
  double a2 = 0, b2 = 0;
  for (uint64_t seed : seeds) {
    const test::ScenarioResult ra = test::run_scenario(spec, a, seed);
    const test::ScenarioResult rb = test::run_scenario(spec, b, seed);
    a2 += ra.rms_s * ra.rms_s;
    b2 += rb.rms_s * rb.rms_s;
    EXPECT_GE(rb.coverage, 0.999) << seed;
  }
  const auto n = static_cast<double>(seeds.size());
  return {std::sqrt(a2 / n), std::sqrt(b2 / n)};
}

}  // namespace

TEST(Estimator, MixingTheWindowsBeatsChoosingOne) {
  for (const test::ScenarioSpec& base : {test::lanjit_spec(), test::congested_spec()}) {
    test::ScenarioSpec spec = base;
    spec.measured_s = 6 * 3600;
    const EstimatorConfig mixed;
    EstimatorConfig chosen = mixed;
    chosen.window_mix_sharpness = 0;
    const RmsPair r = compare_configs(spec, chosen, mixed, {1, 2, 3, 4, 5, 6, 7, 8});
    RecordProperty("chosen_rms_us", std::to_string(r.a / kUs));
    RecordProperty("mixed_rms_us", std::to_string(r.b / kUs));
    EXPECT_LT(r.b, r.a);
  }
}

// At a 1024 s poll even the shortest window (4 stamps) spans most of an hour of wander; the
// Kalman candidates forget at the pace the wander sets, and the window scores find them.
TEST(Estimator, KalmanCandidatesFollowTheWanderAtLongPolls) {
  test::ScenarioSpec spec = test::lan_spec();
  spec.poll_s = 1024;
  spec.warmup_s = 6 * 3600;
  spec.measured_s = 18 * 3600;
  EstimatorConfig with;
  with.poll_s = spec.poll_s;
  EstimatorConfig windows = with;
  windows.kalman_candidates = 0;
  const RmsPair r = compare_configs(spec, windows, with, {1, 2, 3});
  RecordProperty("windows_rms_us", std::to_string(r.a / kUs));
  RecordProperty("kalman_rms_us", std::to_string(r.b / kUs));
  EXPECT_LT(r.b, 0.5 * r.a);  // measured 27 µs against 412
}

// The stamps' intervals (offset_interval.hpp) pin the offset where one direction's queue was
// empty, which no line fit of the stamps' centres can: on queued paths they beat the line
// alone, and the bound still holds.
TEST(Estimator, TheStampsIntervalsBeatTheLineOnQueuedPaths) {
  for (const test::ScenarioSpec& base : {test::lanjit_spec(), test::congested_spec()}) {
    test::ScenarioSpec spec = base;
    spec.measured_s = 6 * 3600;
    const EstimatorConfig with;
    EstimatorConfig line = with;
    line.interval_stamps = 0;
    const RmsPair r = compare_configs(spec, line, with, {1, 2, 3});
    RecordProperty("line_rms_us", std::to_string(r.a / kUs));
    RecordProperty("intervals_rms_us", std::to_string(r.b / kUs));
    EXPECT_LT(r.b, 0.9 * r.a);
  }
}

// A run's first stamp sets RTT̂, so its point error is 0. A typical E that climbed from there
// (a running median stepping a few percent per stamp) stayed far below a congested path's for
// hours at a 64 s poll; the cut then gave every stamp after the 2 s burst no weight and the
// line kept the burst's slope, up to ~1 ppm off. The median of the young run's E does not.
TEST(Estimator, ACongestedStartKeepsNoSlopeFromTheBurst) {
  test::ScenarioSpec spec = test::congested_spec();
  spec.poll_s = 64;
  spec.warmup_s = 1800;
  spec.measured_s = 3 * 3600;
  EstimatorConfig median;
  median.poll_s = spec.poll_s;
  EstimatorConfig climbing = median;
  climbing.typical_error_median_stamps = 0;
  double worst = 0;
  double worst_climbing = 0;
  double sum2 = 0;
  double sum2_climbing = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const test::ScenarioResult r = test::run_scenario(spec, median, seed);
    const test::ScenarioResult rc = test::run_scenario(spec, climbing, seed);
    worst = std::max(worst, r.max_abs_s);
    worst_climbing = std::max(worst_climbing, rc.max_abs_s);
    sum2 += r.rms_s * r.rms_s;
    sum2_climbing += rc.rms_s * rc.rms_s;
    EXPECT_GE(r.coverage, 0.999) << seed;
  }
  RecordProperty("worst_us", std::to_string(worst / kUs));
  RecordProperty("worst_climbing_us", std::to_string(worst_climbing / kUs));
  EXPECT_LT(worst, 300 * kUs);                 // measured 178 µs (781 climbing)
  EXPECT_LT(sum2, 0.6 * 0.6 * sum2_climbing);  // RMS 36.8 µs against 84.9
}

TEST(Estimator, FollowsAFastThermalCycleWithAnHonestBound) {
  test::ScenarioSpec spec = test::lan_spec();
  spec.measured_s = 4 * 3600;
  spec.thermal_ppm = 3;
  spec.thermal_period_s = 7200;
  const test::ScenarioResult r = test::run_scenario(spec, EstimatorConfig{}, 3);
  EXPECT_LT(r.rms_s, 12 * kUs);  // ~100 µs with the fixed bound
  EXPECT_GE(r.coverage, 0.999);
}

TEST(Estimator, QuietOscillatorKeepsTheConfiguredRateBound) {
  // A constant-rate counter proves no departure beyond RATE_ERR_BOUND: the bound, the gates
  // and the published rate bound stay where RADclock puts them.
  const EstimatorConfig config;
  Estimator est(config);
  Path path;
  for (int64_t k = 0; k < 900; ++k) (void)est.add(path.exchange(k));
  EXPECT_FALSE(est.diagnostics().warming_up);
  EXPECT_DOUBLE_EQ(est.diagnostics().rate_bound, config.rate_err_bound);
  EXPECT_EQ(est.diagnostics().rate_changes, 0u);
  EXPECT_EQ(est.diagnostics().change_points, 0u);
  EXPECT_DOUBLE_EQ(est.diagnostics().rate_envelope, 0);
}

// The first stamp sets the first line, whatever its queueing: here a 20 ms spike on the way
// out puts that line 10 ms off. Its hard interval (±RTT/2) still holds the truth, so the next
// stamps' intervals meet it: they are not "impossible" and pull the clock in at once. (Tested
// against the line's centre alone, every later stamp missed it by more than the sanity limit
// and was excluded, from the fits and from p̂, until the limit opened: congested, seed 8, an
// hour 100 ppm off.)
TEST(Estimator, AFirstStampOnASpikeDoesNotLockOutTheRest) {
  Path path;
  path.poll_s = 2;  // the start's burst
  EstimatorConfig config = config_for(path);
  Estimator est(config);
  path.up = Duration::milliseconds(20);
  feed(est, path, 0, 1);
  path.up = Duration::microseconds(100);
  double worst = 0;
  for (int k = 1; k < 80; ++k) {
    feed(est, path, k, k + 1);
    const auto p = est.params();
    if (k >= 8) {  // published from the end of the burst
      ASSERT_TRUE(p) << k;
      worst = std::max(worst, std::fabs(path.error_at(*p, path.osc.counter_at(path.send_time(k + 1)))));
    }
  }
  RecordProperty("worst_us", std::to_string(worst / kUs));
  // Measured 61 µs (a window holding the burst's stamps mixed in for a few polls at 74 s);
  // 1.16 ms when the burst was excluded.
  EXPECT_LT(worst, 100 * kUs);
}
