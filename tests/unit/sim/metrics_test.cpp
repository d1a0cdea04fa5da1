// SPDX-License-Identifier: BSD-2-Clause
#include "sim/metrics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/rng.hpp"

namespace ffclock::sim {
namespace {

TEST(StreamStats, MeanRmsMax) {
  StreamStats s;
  for (const double x : {3.0, -4.0, 0.0, 1.0}) s.add(x);
  EXPECT_EQ(s.count(), 4u);
  EXPECT_DOUBLE_EQ(s.mean(), 0.0);
  EXPECT_DOUBLE_EQ(s.rms(), std::sqrt(26.0 / 4));
  EXPECT_DOUBLE_EQ(s.max_abs(), 4.0);
}

TEST(AbsHistogram, QuantilesWithinTheDocumentedAccuracy) {
  Rng r(8);
  AbsHistogram h;
  std::vector<double> v;
  for (int i = 0; i < 100000; ++i) {
    const double x = r.normal(0, 20e-6) + (r.uniform() < 0.01 ? r.exponential(1e-3) : 0);
    h.add(x);
    v.push_back(std::fabs(x));
  }
  std::sort(v.begin(), v.end());
  for (const double q : {0.01, 0.25, 0.5, 0.95, 0.99, 0.999}) {
    const double exact = v[static_cast<size_t>(std::ceil(q * v.size())) - 1];
    EXPECT_NEAR(h.quantile(q), exact, 0.004 * exact) << q;
  }
}

TEST(Metrics, MergeEqualsOneRunOverAllSamples) {
  Metrics a, b, all;
  Rng r(9);
  for (int i = 0; i < 5000; ++i) {
    const double err = r.normal(1e-6, 5e-6), bound = 10e-6, rate = r.normal(0, 1e-8);
    (i % 2 ? a : b).add_sample(err, bound, 5e-6, rate, rate);
    all.add_sample(err, bound, 5e-6, rate, rate);
  }
  a.merge(b);
  const Summary m = a.summary(10.0), s = all.summary(10.0);
  EXPECT_EQ(m.samples, 5000u);
  EXPECT_NEAR(m.abs_rms_us, s.abs_rms_us, 1e-9);
  EXPECT_DOUBLE_EQ(m.abs_p99_us, s.abs_p99_us);
  EXPECT_DOUBLE_EQ(m.coverage, s.coverage);
  EXPECT_GT(s.coverage, 0.9);  // 10 µs bound, 5 µs sigma, 1 µs bias: about 95 %
  EXPECT_LT(s.coverage, 0.99);
  EXPECT_NEAR(s.bound_width_mean_us, 20.0, 1e-9);
  EXPECT_NEAR(m.esterror_ratio, s.esterror_ratio, 1e-12);
  EXPECT_DOUBLE_EQ(m.within_3_esterror, s.within_3_esterror);
}

TEST(Metrics, EsterrorCalibration) {
  // Errors drawn with σ = 4 µs against a claimed 1σ of 4 µs: ratio ≈ 1, ~99.7 % within 3σ.
  // Claiming 2 µs instead halves the claim: ratio ≈ 2, ~95 % within 3σ.
  Metrics right, low;
  Rng r(3);
  for (int i = 0; i < 20000; ++i) {
    const double err = r.normal(0, 4e-6);
    right.add_sample(err, 1e-3, 4e-6, 0, 0);
    low.add_sample(err, 1e-3, 2e-6, 0, 0);
  }
  const Summary a = right.summary(std::nullopt), b = low.summary(std::nullopt);
  EXPECT_NEAR(a.esterror_rms_us, 4.0, 1e-9);
  EXPECT_NEAR(a.esterror_ratio, 1.0, 0.03);
  EXPECT_NEAR(a.within_3_esterror, 0.997, 0.002);
  EXPECT_NEAR(b.esterror_ratio, 2.0, 0.06);
  EXPECT_NEAR(b.within_3_esterror, 0.866, 0.01);
}

TEST(Metrics, BackstepsAreCountedWithTheirSize) {
  Metrics m;
  m.add_publication_step(3e-6);
  m.add_publication_step(-2e-6);
  m.add_publication_step(-7e-6);
  const Summary s = m.summary(std::nullopt);
  EXPECT_EQ(s.absolute_backsteps, 2u);
  EXPECT_DOUBLE_EQ(s.absolute_max_backstep_us, 7.0);
  EXPECT_FALSE(s.convergence_s.has_value());
}

}  // namespace
}  // namespace ffclock::sim
