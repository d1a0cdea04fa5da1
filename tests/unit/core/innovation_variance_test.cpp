// SPDX-License-Identifier: BSD-2-Clause
// InnovationVariance: the published line's error variance from its misses of new stamps.
#include "core/estimator/innovation_variance.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace ffclock::core::estimator {
namespace {

constexpr double kUs = 1e-6;

InnovationVariance started(double memory = 128) {
  InnovationVariance v;
  InnovationVarianceConfig c;
  c.memory = memory;
  v.start(c);
  return v;
}

// A miss of a line off by N(0, line_sigma²), seen through a stamp whose excess e split
// uniformly between the directions (±e/2).
double miss(std::mt19937_64& rng, double line_sigma, double e) {
  std::normal_distribution<double> line(0, line_sigma);
  std::uniform_real_distribution<double> split(-0.5, 0.5);
  return line(rng) + split(rng) * e;
}

TEST(InnovationVariance, RecoversTheLinesErrorUnderTheStampsNoise) {
  // Stamps noisier than the line (E up to 40 µs: σ up to 11.5 µs against the line's 3 µs).
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> excess(0, 40 * kUs);
  // A long memory, so that the figure is the estimator's bias and not its sampling noise.
  InnovationVariance v = started(2048);
  EXPECT_FALSE(v.known());
  for (int n = 0; n < 20000; ++n) {
    const double e = excess(rng);
    ASSERT_TRUE(v.observe(miss(rng, 3 * kUs, e), e, 20 * kUs, 16));
  }
  ASSERT_TRUE(v.known());
  EXPECT_NEAR(std::sqrt(v.variance()) / kUs, 3.0, 0.3);
}

TEST(InnovationVariance, StampsFarAboveTheTypicalExcessAreNotObserved) {
  InnovationVariance v = started();
  ASSERT_TRUE(v.observe(2 * kUs, 10 * kUs, 20 * kUs, 16));
  const double before = v.variance();
  // A congestion spike: E 100 µs against a typical 20 µs, its offset 50 µs off.
  EXPECT_FALSE(v.observe(50 * kUs, 100 * kUs, 20 * kUs, 16));
  EXPECT_EQ(v.variance(), before);
  // Non-finite input is refused too.
  EXPECT_FALSE(v.observe(std::numeric_limits<double>::quiet_NaN(), 1 * kUs, 20 * kUs, 16));
  EXPECT_FALSE(v.observe(1 * kUs, std::numeric_limits<double>::infinity(), 20 * kUs, 16));
  EXPECT_FALSE(v.observe(1 * kUs, 1 * kUs, 20 * kUs, -1));
  EXPECT_EQ(v.variance(), before);
}

TEST(InnovationVariance, ATransientIsForgottenOverTheMemory) {
  std::mt19937_64 rng(11);
  InnovationVariance v = started(64);
  // A frequency step: 40 stamps missing by 100 µs, then the line follows again (2 µs).
  for (int n = 0; n < 40; ++n) v.observe(100 * kUs, 5 * kUs, 10 * kUs, 16);
  EXPECT_GT(std::sqrt(v.variance()), 90 * kUs);
  for (int n = 0; n < 64 * 10; ++n) v.observe(miss(rng, 2 * kUs, 5 * kUs), 5 * kUs, 10 * kUs, 16);
  EXPECT_LT(std::sqrt(v.variance()), 3 * kUs);
}

TEST(InnovationVariance, NeverNegativeWhenTheStampsExplainEveryMiss) {
  InnovationVariance v = started();
  for (int n = 0; n < 100; ++n) v.observe(0, 30 * kUs, 20 * kUs, 16);
  EXPECT_TRUE(v.known());
  EXPECT_EQ(v.variance(), 0.0);
  // A noiseless stamp (floor 0, at the minimum RTT) is a finite, heavy observation.
  InnovationVariance exact;
  InnovationVarianceConfig c;
  c.floor_s = 0;
  exact.start(c);
  EXPECT_TRUE(exact.observe(1 * kUs, 0, 0, 16));
  EXPECT_NEAR(exact.variance(), 1e-12, 1e-18);
}

TEST(InnovationVariance, MissesAtSpreadAgesShowHowTheErrorGrows) {
  // A line off by N(0, (2 µs)²) at its anchor and with a rate off by N(0, (20 ppb)²): at age a
  // its error variance is (2 µs)² + (20 ppb · a)².
  std::mt19937_64 rng(3);
  std::normal_distribution<double> offset(0, 2 * kUs), rate(0, 20e-9);
  std::uniform_real_distribution<double> age(16, 256);
  InnovationVariance v = started(2048);
  for (int n = 0; n < 20000; ++n) {
    const double a = age(rng);
    ASSERT_TRUE(v.observe(offset(rng) + rate(rng) * a, 0, 10 * kUs, a));
  }
  EXPECT_NEAR(std::sqrt(v.rate_variance()) / 20e-9, 1.0, 0.15);
  EXPECT_NEAR(std::sqrt(v.variance()) / kUs, 2.0, 0.4);
  // At one age (a steady poll) the growth is not identifiable: all of it is V0.
  InnovationVariance steady = started(2048);
  for (int n = 0; n < 5000; ++n) steady.observe(offset(rng) + rate(rng) * 64, 0, 10 * kUs, 64);
  EXPECT_EQ(steady.rate_variance(), 0.0);
  EXPECT_NEAR(std::sqrt(steady.variance()) / kUs, std::hypot(2.0, 20e-9 * 64 / kUs), 0.2);
}

TEST(InnovationVariance, SaysHowNoisyItsOwnMeanIs) {
  // Misses of N(0, σ²) through noiseless stamps: y = miss² has mean σ² and variance 2σ⁴, so
  // the mean of n of them is good to σ²·√(2/n).
  std::mt19937_64 rng(5);
  std::normal_distribution<double> line(0, 3 * kUs);
  const double var = 9 * kUs * kUs;
  InnovationVariance v;
  EXPECT_EQ(v.variance_stderr(), 0.0);  // nothing observed yet
  // No forgetting to speak of: 400 stamps.
  v = started(1e9);
  for (int n = 0; n < 400; ++n) ASSERT_TRUE(v.observe(line(rng), 0, 10 * kUs, 16));
  EXPECT_NEAR(v.variance_stderr() / var, std::sqrt(2.0 / 400), 0.015);
  // Forgotten over 16 stamps, equal weights: the mean stands on 2·16 − 1 = 31 of them, however
  // many were observed (averaged over many points, the spread itself being a 31-stamp figure).
  InnovationVariance short_memory = started(16);
  double sum = 0;
  int count = 0;
  for (int n = 0; n < 20000; ++n) {
    short_memory.observe(line(rng), 0, 10 * kUs, 16);
    if (n >= 200) {
      sum += short_memory.variance_stderr() / var;
      ++count;
    }
  }
  EXPECT_NEAR(sum / count, std::sqrt(2.0 / 31), 0.04);
}

}  // namespace
}  // namespace ffclock::core::estimator
