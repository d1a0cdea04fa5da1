// SPDX-License-Identifier: BSD-2-Clause
// The estimator's recursive candidate: a Kalman filter of time and rate.
#include "core/estimator/kalman_line.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace ffclock::core::estimator {
namespace {

constexpr long double kNominal = 1e-9L;             // s per count the filter starts from
constexpr long double kTrue = 1e-9L * (1 + 3e-6L);  // the counter's real period: 3 ppm slow
constexpr double kUs = 1e-6;

// True time (s) at counter c, for a period that steps by `step` (relative) at counter `at`.
long double truth(uint64_t c, double step = 0, uint64_t at = UINT64_MAX) {
  if (c <= at) return kTrue * static_cast<long double>(c);
  return kTrue * static_cast<long double>(at) + kTrue * (1 + step) * static_cast<long double>(c - at);
}

TEST(KalmanLine, FindsTheRateAndTimeOfAPerfectClock) {
  KalmanLine k;
  k.start(1e-9, 64, 1e9);
  k.restart(0, 0, kNominal, 1 * kUs, 10e-6);
  const uint64_t poll = 16'000'000'000;  // 16 s of counts
  for (uint64_t c = poll; c <= 50 * poll; c += poll) ASSERT_TRUE(k.update(c, truth(c), 1e-12));
  const UncorrectedClock clock(0, kNominal);
  const LineFit f = k.line(50 * poll, clock);
  ASSERT_TRUE(f.valid);
  EXPECT_TRUE(f.fitted_slope);
  EXPECT_EQ(f.stamps, 50u);
  // θ̂ = Cu − true time; Cu runs at the nominal period, so it is behind by 3 ppm of 800 s.
  EXPECT_NEAR(static_cast<double>(f.theta), static_cast<double>(clock.at(50 * poll) - truth(50 * poll)),
              0.1 * kUs);
  // slope = 1 − period / p̂: −3 ppm.
  EXPECT_NEAR(f.slope, -3e-6, 1e-9);
  EXPECT_LT(f.esterror, 1 * kUs);
}

TEST(KalmanLine, TheAssumedWanderSetsHowFastItFollowsARateStep) {
  // The rate steps by 1 ppm; a filter that assumes more wander follows it sooner.
  const uint64_t poll = 16'000'000'000;
  const uint64_t step_at = 100 * poll;
  double miss_quiet = 0, miss_wandering = 0;
  for (const double wander : {1e-10, 1e-8}) {
    KalmanLine k;
    k.start(wander, 64, 1e9);
    k.restart(0, 0, kTrue, 1 * kUs, 1e-6);
    double worst = 0;
    for (uint64_t c = poll; c <= step_at + 20 * poll; c += poll) {
      const long double t = truth(c, 1e-6, step_at);
      if (c > step_at + 10 * poll) {
        // The line from the previous stamp predicts this one: how far off after the step?
        const UncorrectedClock clock(0, kTrue);
        const LineFit f = k.line(c, clock);
        worst = std::max(worst, std::fabs(static_cast<double>(clock.at(c) - f.theta - t)));
      }
      ASSERT_TRUE(k.update(c, t, 1e-12));
    }
    (wander < 1e-9 ? miss_quiet : miss_wandering) = worst;
  }
  EXPECT_LT(miss_wandering, 0.5 * miss_quiet);
  EXPECT_LT(miss_wandering, 1 * kUs);
}

TEST(KalmanLine, ProjectsItsLineAndGrowsItsErrorWithAge) {
  KalmanLine k;
  k.start(1e-8, 64, 1e9);
  k.restart(0, 0, kNominal, 1 * kUs, 1e-6);
  const uint64_t poll = 64'000'000'000;
  for (uint64_t c = poll; c <= 20 * poll; c += poll) ASSERT_TRUE(k.update(c, truth(c), 1e-12));
  const UncorrectedClock clock(0, kNominal);
  const LineFit now = k.line(20 * poll, clock);
  const LineFit later = k.line(30 * poll, clock);  // 640 s on, no stamp
  EXPECT_NEAR(later.slope, now.slope, 1e-15);
  // The line carries on at its rate: θ̂ moves by slope · age.
  EXPECT_NEAR(static_cast<double>(later.theta - now.theta), now.slope * 640, 1e-9);
  EXPECT_GT(later.esterror, now.esterror);
  EXPECT_GT(later.slope_esterror, now.slope_esterror);
  // Not before its last stamp.
  EXPECT_FALSE(k.line(19 * poll, clock).valid);
}

TEST(KalmanLine, RefusesWhatItCannotUse) {
  KalmanLine k;
  k.start(1e-9, 64, 1e9);
  EXPECT_FALSE(k.update(100, 1e-7L, 1e-12));  // before restart()
  k.restart(1000, 1e-6L, kNominal, 1 * kUs, 1e-6);
  EXPECT_FALSE(k.update(1000, 1e-6L, 1e-12));         // not after the last counter
  EXPECT_FALSE(k.update(2000, 2e-6L, 0));             // no variance
  EXPECT_FALSE(k.update(2000, 2e-6L, std::nan("")));  // nonsense
  EXPECT_EQ(k.stamps(), 0u);
  EXPECT_TRUE(k.update(2000, 2e-6L, 1e-12));
  EXPECT_EQ(k.stamps(), 1u);
}

// A uniform stamp noise of 1σ `sigma_s` from a fixed generator.
struct UniformNoise {
  uint64_t state = 12345;
  double next(double sigma_s) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = static_cast<double>(state >> 11) / 9007199254740992.0 - 0.5;  // ±0.5
    return u * std::sqrt(12.0) * sigma_s;
  }
};

TEST(KalmanLine, LearnsThatItsStampsAreBetterThanTheirModelButNeverWorse) {
  // Stamps modelled as 10 µs (1σ): exact to 0.1 µs, the published σ shrinks towards the
  // truth; 10× worse than modelled, it stays the model's (which is conservative already).
  const uint64_t poll = 16'000'000'000;
  const UncorrectedClock clock(0, kNominal);
  double sigma_good = 0, sigma_bad = 0, sigma_matched = 0;
  for (const double actual_us : {0.1, 10.0, 100.0}) {
    KalmanLine k;
    k.start(1e-9, 64, 1e9);
    k.restart(0, 0, kTrue, 10 * kUs, 1e-7);
    UniformNoise noise;
    for (uint64_t c = poll; c <= 300 * poll; c += poll)
      ASSERT_TRUE(
          k.update(c, truth(c) + static_cast<long double>(noise.next(actual_us * kUs)), 100 * kUs * kUs));
    const double s = k.line(300 * poll, clock).esterror;
    (actual_us < 1 ? sigma_good : actual_us < 50 ? sigma_matched : sigma_bad) = s;
  }
  EXPECT_LT(sigma_good, 0.3 * sigma_matched);
  // 10× worse stamps than modelled: about the matched σ, not 10× it.
  EXPECT_GE(sigma_bad, 0.99 * sigma_matched);
  EXPECT_LT(sigma_bad, 1.3 * sigma_matched);
}

TEST(KalmanLine, ItsScaleIsAPropertyOfThePathNotOfTheLastHour) {
  // Stamps 0.3× their modelled σ, a steady poll: the model's σ is constant, so whatever moves
  // the published σ is the learnt scale's sampling noise. Over 1 024 stamps it moves far less
  // than over 64 (where it moved the 1σ by a quarter, uncorrelated with the error).
  const uint64_t poll = 16'000'000'000;
  const UncorrectedClock clock(0, kNominal);
  double spread[2] = {0, 0};
  for (const int i : {0, 1}) {
    KalmanLine k;
    k.start(1e-9, i == 0 ? 64 : 1024, 1e9);
    k.restart(0, 0, kTrue, 10 * kUs, 1e-7);
    UniformNoise noise;
    double sum = 0, sum2 = 0;
    int n = 0;
    for (uint64_t c = poll; c <= 6000 * poll; c += poll) {
      ASSERT_TRUE(k.update(c, truth(c) + static_cast<long double>(noise.next(3 * kUs)), 100 * kUs * kUs));
      if (c < 2000 * poll) continue;
      const double s = k.line(c, clock).esterror;
      sum += s;
      sum2 += s * s;
      ++n;
    }
    const double mean = sum / n;
    spread[i] = std::sqrt(std::max(0.0, sum2 / n - mean * mean)) / mean;
  }
  EXPECT_GT(spread[0], 0.02);  // the short memory's noise is there to be removed
  EXPECT_LT(spread[1], 0.4 * spread[0]);
}

TEST(KalmanLine, ItsScaleForgetsOverTheMemoryInSecondsToo) {
  // Stamps 0.1× their model for 1 500 stamps, then as modelled: a memory of 1 600 s (100
  // stamps) has learnt the new scale 4 800 s later; one of 1 024 stamps alone has not.
  const uint64_t poll = 16'000'000'000;
  const UncorrectedClock clock(0, kNominal);
  double sigma[3] = {0, 0, 0};  // seconds-limited, stamps-limited, matched all along
  for (const int i : {0, 1, 2}) {
    KalmanLine k;
    k.start(1e-9, 1024, i == 0 ? 1600 : 1e9);
    k.restart(0, 0, kTrue, 10 * kUs, 1e-7);
    UniformNoise noise;
    for (uint64_t c = poll; c <= 1800 * poll; c += poll) {
      const double actual = i == 2 || c > 1500 * poll ? 10 * kUs : 1 * kUs;
      ASSERT_TRUE(k.update(c, truth(c) + static_cast<long double>(noise.next(actual)), 100 * kUs * kUs));
    }
    sigma[i] = k.line(1800 * poll, clock).esterror;
  }
  EXPECT_GT(sigma[0], 0.8 * sigma[2]);
  EXPECT_LT(sigma[1], 0.6 * sigma[2]);
}

}  // namespace
}  // namespace ffclock::core::estimator
