// SPDX-License-Identifier: BSD-2-Clause
// The feed-forward estimator under network and server faults, on otherwise perfect hand-made
// exchange sequences: a delay spike, an upward level shift of the minimum delay, a 1 s server
// step, and holdover while the server is faulty. The published clock must not follow any of
// them. Tolerances hold for any correct feed-forward estimator, not just this implementation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "core/estimator/estimator.hpp"
#include "estimator_test_support.hpp"

using namespace ffclock;
using core::Estimator;
using core::EstimatorConfig;
using core::ExchangeVerdict;
using core::SyncStatus;
using test::config_for;
using test::kNs;
using test::kUs;
using test::Path;

namespace {

// Feeds until params() reports Synchronized; returns the next exchange index.
int64_t feed_until_synchronized(Estimator& est, const Path& path) {
  int64_t k = 0;
  for (; k < 2000; ++k) {
    (void)est.add(path.exchange(k));
    const auto p = est.params();
    if (p && p->status == SyncStatus::Synchronized) return k + 1;
  }
  ADD_FAILURE() << "not synchronized after 2000 exchanges";
  return k;
}

uint64_t counter_after(const Path& path, int64_t k, double s) {
  return path.osc.counter_at(path.send_time(k) + Duration::from_seconds(s));
}

// Runs two estimators on the same perfect path, one of them seeing exchange `spike_k` with a
// +5 ms request delay; returns the largest difference of the published times at the same
// counters over the rest of the run, and checks the spiked one against truth.
double spike_effect(int64_t spike_k, int64_t total) {
  Path path;
  Path spiked = path;
  spiked.up = path.up + Duration::milliseconds(5);
  Estimator clean(config_for(path)), est(config_for(path));
  double worst_diff = 0;
  for (int64_t k = 0; k < total; ++k) {
    (void)clean.add(path.exchange(k));
    (void)est.add(k == spike_k ? spiked.exchange(k) : path.exchange(k));
    const auto a = clean.params(), b = est.params();
    EXPECT_EQ(a.has_value(), b.has_value()) << k;
    if (!a || !b || k < spike_k) continue;
    for (double s : {0.0, 8.0, 15.9}) {
      const uint64_t c = counter_after(path, k, s);
      worst_diff = std::max(worst_diff, std::fabs((b->time_at(c) - a->time_at(c)).to_seconds()));
      EXPECT_LE(std::fabs(path.error_at(*b, c)), b->maxerror_at(c).to_seconds()) << k;
    }
  }
  return worst_diff;
}

}  // namespace

// 2. A single exchange with a +5 ms one-way delay (2.5 ms of naive offset error) changes
// nothing: the published time at each counter stays within 100 ns of an estimator that never
// saw the spike — after warm-up, and during it.
TEST(EstimatorFaults, SingleSpikeChangesNothing) {
  const double after_warmup = spike_effect(/*spike_k=*/600, /*total=*/700);
  EXPECT_LT(after_warmup, 100 * kNs);
  const double in_warmup = spike_effect(/*spike_k=*/30, /*total=*/150);
  EXPECT_LT(in_warmup, 100 * kNs);
  RecordProperty("diff_ns_after_warmup", std::to_string(after_warmup / kNs));
  RecordProperty("diff_ns_in_warmup", std::to_string(in_warmup / kNs));
}

// 3. A +1 ms upward level shift of the minimum RTT (+0.5 ms each way, so the true offset is
// still observable) on a quiet path: proven by the quick test (shift_quick_stamps far above
// the path's typical error) or, with it off, once RADclock's whole shift window lies above the
// old minimum; never before, and the clock never moves by more than a µs either way.
class SymmetricLevelShift : public ::testing::TestWithParam<bool> {};

TEST_P(SymmetricLevelShift, DetectedAfterItsWindowClockStays) {
  Path path;
  EstimatorConfig config = config_for(path);
  if (!GetParam()) config.shift_quick_stamps = 0;
  // The window that proves it, in exchanges (RADclock: max(1500 s / poll, 100)).
  const auto shift_win =
      GetParam() ? static_cast<int64_t>(config.shift_quick_stamps)
                 : std::max<int64_t>(static_cast<int64_t>(std::ceil(config.shift_window_s / path.poll_s)),
                                     config.shift_window_min);
  Estimator est(config);
  int64_t k = feed_until_synchronized(est, path);
  for (int64_t end = k + 50; k < end; ++k) (void)est.add(path.exchange(k));
  ASSERT_EQ(est.diagnostics().level_shifts_up, 0u) << "shift detected on a constant path";

  Path shifted = path;
  shifted.up = path.up + Duration::microseconds(500);
  shifted.down = path.down + Duration::microseconds(500);
  int64_t detected_after = -1;
  double worst = 0;
  for (int64_t n = 1; n <= 3 * shift_win; ++n, ++k) {
    (void)est.add(shifted.exchange(k));
    if (n < shift_win) {
      ASSERT_EQ(est.diagnostics().level_shifts_up, 0u)
          << "shift detected after " << n << " of a " << shift_win << "-exchange window";
    }
    if (detected_after < 0 && est.diagnostics().level_shifts_up > 0) detected_after = n;
    const auto p = est.params();
    ASSERT_TRUE(p);
    for (double s : {0.0, 15.9}) {
      const uint64_t c = counter_after(shifted, k, s);
      const double err = std::fabs(shifted.error_at(*p, c));
      worst = std::max(worst, err);
      EXPECT_LE(err, p->maxerror_at(c).to_seconds()) << n;
    }
  }
  ASSERT_GT(detected_after, 0) << "shift never detected";
  EXPECT_LE(detected_after, 2 * shift_win);
  EXPECT_EQ(est.diagnostics().level_shifts_up, 1u);
  EXPECT_LT(worst, 1 * kUs);
  // After detection the new level is the reference: exchanges are used again.
  EXPECT_EQ(est.diagnostics().last_verdict, ExchangeVerdict::Used);
  EXPECT_EQ(est.params()->status, SyncStatus::Synchronized);
  RecordProperty("detected_after", std::to_string(detected_after));
  RecordProperty("worst_error_ns", std::to_string(worst / kNs));
}

INSTANTIATE_TEST_SUITE_P(EstimatorFaults, SymmetricLevelShift, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? "QuickTest" : "ShiftWindow";
                         });

// 3b. A one-way +1 ms shift (request path only) makes the path asymmetric by 1 ms: no estimator
// can see the 0.5 ms offset bias that results, but until the shift is detected the clock must
// not move (the shifted stamps are poor), and afterwards the published bound must still
// cover truth (half the RTT bounds any asymmetry). Before detection each shifted stamp's
// interval starts exactly at the truth, so the stamps' intersection runs from the truth to the
// slack the older stamps carry, and the published offset is the line's mean inside it: it
// moves by part of that slack (1.7 µs here, the rate 1σ's scale being learnt over 1 024
// stamps of a noiseless path; 0 when it was learnt over 64 and had fallen to nothing), never
// by more than its own 1σ.
TEST(EstimatorFaults, OneWayLevelShiftClockHoldsUntilDetectedBoundCovers) {
  Path path;
  const EstimatorConfig config = config_for(path);
  Estimator est(config);
  int64_t k = feed_until_synchronized(est, path);
  Path shifted = path;
  shifted.up = path.up + Duration::milliseconds(1);
  double worst_before = 0;
  for (int64_t n = 1; n <= 400; ++n, ++k) {
    (void)est.add(shifted.exchange(k));
    const auto p = est.params();
    ASSERT_TRUE(p);
    const uint64_t c = counter_after(shifted, k, 8);
    const double err = std::fabs(shifted.error_at(*p, c));
    ASSERT_LE(err, p->maxerror_at(c).to_seconds()) << n;
    if (est.diagnostics().level_shifts_up == 0) {
      worst_before = std::max(worst_before, err);
      EXPECT_LE(err, p->esterror_at(c).to_seconds()) << n;
    }
    // The 0.5 ms bias is invisible; the period estimates see part of it too, but nothing like
    // the 1 ms RTT change reaches the clock.
    EXPECT_LT(err, 0.6e-3) << n;
  }
  EXPECT_EQ(est.diagnostics().level_shifts_up, 1u);
  EXPECT_LT(worst_before, 2 * kUs);
}

namespace {

struct StepRun {
  double worst_in_step = 0;     // |error| while the server was 1 s off
  double worst_after_step = 0;  // |error| from the server's return on
  uint64_t bound_violations = 0;
  uint64_t sanity_rejects_in_step = 0;
  bool stepped_exchange_used = false;
  int64_t recovered_after = -1;  // exchanges after the return until one was Used for good
  double final_error = 0;
  uint64_t rejects_after_recovery = 0;
  SyncStatus final_status = SyncStatus::Unsynchronized;
  double final_period_rel = 0;
};

// A perfect path whose server is `step` off for `step_s` seconds once the estimator is
// synchronised, then right again for two hours.
StepRun run_server_step(Duration step, int step_s) {
  Path path;
  Estimator est(config_for(path));
  StepRun r;
  int64_t k = feed_until_synchronized(est, path);
  for (int64_t end = k + 50; k < end; ++k) (void)est.add(path.exchange(k));
  auto check = [&](int64_t at, double& worst) {
    const auto p = est.params();
    if (!p) {
      ++r.bound_violations;
      return;
    }
    for (double s : {0.0, 15.9}) {
      const uint64_t c = counter_after(path, at, s);
      const double err = std::fabs(path.error_at(*p, c));
      worst = std::max(worst, err);
      if (err > p->maxerror_at(c).to_seconds()) ++r.bound_violations;
    }
  };
  Path stepped = path;
  stepped.server_error = step;
  const uint64_t rejects_before = est.diagnostics().offset_sanity_rejects;
  for (int64_t end = k + step_s / path.poll_s; k < end; ++k) {
    if (est.add(stepped.exchange(k)) == ExchangeVerdict::Used) r.stepped_exchange_used = true;
    check(k, r.worst_in_step);
  }
  r.sanity_rejects_in_step = est.diagnostics().offset_sanity_rejects - rejects_before;
  int64_t last_not_used = -1;
  const int64_t after = 7200 / path.poll_s;
  for (int64_t n = 0; n < after; ++n, ++k) {
    if (est.add(path.exchange(k)) != ExchangeVerdict::Used) last_not_used = n;
    check(k, r.worst_after_step);
  }
  if (last_not_used + 1 < after) r.recovered_after = last_not_used + 1;
  const uint64_t rejects = est.diagnostics().offset_sanity_rejects;
  for (int64_t end = k + 20; k < end; ++k) (void)est.add(path.exchange(k));
  r.rejects_after_recovery = est.diagnostics().offset_sanity_rejects - rejects;
  const auto p = est.params();
  r.final_status = p->status;
  r.final_error = std::fabs(path.error_at(*p, counter_after(path, k - 1, 8)));
  r.final_period_rel = static_cast<double>(std::fabs(p->period.to_seconds() / path.osc.period_s - 1));
  return r;
}

}  // namespace

// 4. The server's clock steps by +1 s for ten minutes, then comes back. The published clock
// never follows the step (within 1 µs of truth while it lasts, each stepped exchange refused
// and counted as an offset sanity reject), the bound covers truth throughout, and once the
// faulty stamps have left the windows the exchanges are used again and the clock is as
// accurate as before. (The stricter "never moves during the recovery either" is the disabled
// test below.)
TEST(EstimatorFaults, ServerStepOneSecondIgnoredAndRecovered) {
  for (Duration step : {Duration::seconds(1), -Duration::seconds(1)}) {
    SCOPED_TRACE(step.to_seconds());
    const StepRun r = run_server_step(step, 600);
    EXPECT_FALSE(r.stepped_exchange_used);
    EXPECT_GT(r.sanity_rejects_in_step, 0u);
    EXPECT_LT(r.worst_in_step, 1 * kUs);
    EXPECT_EQ(r.bound_violations, 0u);
    EXPECT_GE(r.recovered_after, 0) << "not back to Used two hours after the server recovered";
    EXPECT_EQ(r.rejects_after_recovery, 0u);
    EXPECT_EQ(r.final_status, SyncStatus::Synchronized);
    EXPECT_LT(r.final_error, 20 * kNs);
    EXPECT_LT(r.final_period_rel, 1e-9);
    RecordProperty("worst_after_step_us", std::to_string(r.worst_after_step / kUs));
  }
}

// 4b. After the server returns from a 1 s step, the clock never moves: stamps whose hard
// interval missed the published line are excluded from every fit, so no candidate is a mix
// of good and stepped stamps. (Regression: such mixes once published a ~15 ms error for
// ~20 minutes.)
TEST(EstimatorFaults, ServerStepClockNeverMovesDuringRecovery) {
  const StepRun r = run_server_step(Duration::seconds(1), 600);
  EXPECT_LT(r.worst_after_step, 1 * kUs);
  EXPECT_LT(r.recovered_after, 3600 / 16);
}

// 7b. Holdover: while every exchange is refused (a server 1 s off for an hour), the status
// turns from Synchronized to Holdover within a few skm_scale_s of the last good exchange,
// the clock keeps time on its own, and a healthy server brings Synchronized back.
TEST(EstimatorFaults, HoldoverWhileServerFaultyThenSynchronized) {
  Path path;
  const EstimatorConfig config = config_for(path);
  Estimator est(config);
  int64_t k = feed_until_synchronized(est, path);
  Path stepped = path;
  stepped.server_error = -Duration::seconds(1);
  int64_t holdover_after = -1;
  for (int64_t n = 0; n < 3600 / path.poll_s; ++n, ++k) {
    (void)est.add(stepped.exchange(k));
    const auto p = est.params();
    ASSERT_TRUE(p);
    if (holdover_after < 0 && p->status == SyncStatus::Holdover) holdover_after = n;
    if (holdover_after >= 0) {
      EXPECT_EQ(p->status, SyncStatus::Holdover) << n;
    }
    ASSERT_LT(std::fabs(path.error_at(*p, counter_after(path, k, 8))), 1 * kUs) << n;
  }
  ASSERT_GE(holdover_after, 0) << "no Holdover status after an hour without a usable exchange";
  EXPECT_LE(holdover_after * path.poll_s, 3 * config.skm_scale_s);
  EXPECT_GE(holdover_after * path.poll_s, config.poll_s);  // not on the first refused exchange
  bool synced = false;
  for (int64_t n = 0; n < 7200 / path.poll_s && !synced; ++n, ++k) {
    (void)est.add(path.exchange(k));
    synced = est.params()->status == SyncStatus::Synchronized;
  }
  EXPECT_TRUE(synced) << "still not Synchronized two hours after the server recovered";
  RecordProperty("holdover_after_exchanges", std::to_string(holdover_after));
}
