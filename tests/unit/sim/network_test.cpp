// SPDX-License-Identifier: BSD-2-Clause
#include "sim/network.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace ffclock::sim {
namespace {

PathModel exp_path(double min_s, double mean_s) {
  PathModel p;
  p.min_s = min_s;
  p.queue_mean_s = mean_s;
  return p;
}

TEST(Path, ExponentialQueueMeanOverManyDraws) {
  Path path(exp_path(100e-6, 10e-6), {}, Direction::Forward, 1);
  constexpr int kN = 100000;
  double sum = 0, lowest = 1;
  for (int i = 0; i < kN; ++i) {
    const auto d = path.delay(i * 16.0L);
    ASSERT_TRUE(d.has_value());
    sum += *d;
    lowest = std::min(lowest, *d);
  }
  EXPECT_NEAR(sum / kN, 110e-6, 0.1e-6);
  EXPECT_GE(lowest, 100e-6);
  EXPECT_LT(lowest, 100.01e-6);  // the minimum is approached
}

TEST(Path, CongestionScheduleIsExact) {
  Congestion c{600, 480, 120, 10e-3};
  Path path(exp_path(0, 0), {}, Direction::Forward, 1);
  EXPECT_FALSE(path.congested(479.999L, c));
  EXPECT_TRUE(path.congested(480.0L, c));
  EXPECT_TRUE(path.congested(599.999L, c));
  EXPECT_FALSE(path.congested(600.0L, c));
  EXPECT_TRUE(path.congested(86400.0L * 30 + 500, c));
  EXPECT_FALSE(path.congested(86400.0L * 30 + 400, c));
}

TEST(Path, CongestionAddsItsMeanOnlyInsideEpisodes) {
  PathModel m = exp_path(2e-3, 0.2e-3);
  m.congestion.push_back({600, 480, 120, 10e-3});
  Path path(m, {}, Direction::Forward, 3);
  double in_sum = 0, out_sum = 0;
  int in_n = 0, out_n = 0;
  for (int i = 0; i < 200000; ++i) {
    const SimTime t = i * 3.0L;
    const double d = *path.delay(t);
    if (std::fmod(static_cast<double>(t), 600.0) >= 480) {
      in_sum += d;
      ++in_n;
    } else {
      out_sum += d;
      ++out_n;
    }
  }
  EXPECT_NEAR(out_sum / out_n, 2.2e-3, 0.01e-3);
  EXPECT_NEAR(in_sum / in_n, 12.2e-3, 0.15e-3);
}

TEST(Path, SpikesHaveTheirProbabilityAndMean) {
  PathModel m = exp_path(1e-3, 0);
  m.spike_prob = 0.05;
  m.spike_mean_s = 30e-3;
  Path path(m, {}, Direction::Backward, 4);
  constexpr int kN = 200000;
  int spikes = 0;
  double sum = 0;
  for (int i = 0; i < kN; ++i) {
    const double d = *path.delay(i);
    if (d > 1e-3) {
      ++spikes;
      sum += d - 1e-3;
    }
  }
  EXPECT_NEAR(static_cast<double>(spikes) / kN, 0.05, 0.003);
  EXPECT_NEAR(sum / spikes, 30e-3, 1e-3);
}

TEST(Path, LevelShiftWindowAndDirection) {
  Event up;
  up.kind = EventKind::LevelShift;
  up.at_s = 1000;
  up.duration_s = 7200;
  up.value = 0.5e-3;
  up.direction = Direction::Forward;
  Path fwd(exp_path(100e-6, 0), {up}, Direction::Forward, 1);
  Path back(exp_path(100e-6, 0), {up}, Direction::Backward, 1);
  EXPECT_DOUBLE_EQ(fwd.minimum(999.99L), 100e-6);
  EXPECT_DOUBLE_EQ(fwd.minimum(1000), 600e-6);
  EXPECT_DOUBLE_EQ(fwd.minimum(8199.99L), 600e-6);
  EXPECT_DOUBLE_EQ(fwd.minimum(8200), 100e-6);
  EXPECT_DOUBLE_EQ(back.minimum(5000), 100e-6);
  EXPECT_DOUBLE_EQ(*fwd.delay(5000), 600e-6);
}

TEST(Path, LossRateAndLossEvents) {
  PathModel m = exp_path(1e-4, 0);
  m.loss = 0.2;
  Event burst;
  burst.kind = EventKind::Loss;
  burst.at_s = 100000;
  burst.duration_s = 100000;
  burst.value = 0.5;
  Path path(m, {burst}, Direction::Forward, 5);
  EXPECT_NEAR(path.loss_probability(150000), 0.6, 1e-12);
  EXPECT_NEAR(path.loss_probability(200000), 0.2, 1e-12);
  int lost_before = 0, lost_during = 0;
  for (int i = 0; i < 100000; ++i) lost_before += !path.delay(i).has_value();
  for (int i = 100000; i < 200000; ++i) lost_during += !path.delay(i).has_value();
  EXPECT_NEAR(lost_before / 1e5, 0.2, 0.01);
  EXPECT_NEAR(lost_during / 1e5, 0.6, 0.01);
}

TEST(Path, SameSeedSameDelays) {
  PathModel m = exp_path(1e-3, 1e-4);
  m.queue = QueueKind::Pareto;
  Path a(m, {}, Direction::Forward, 77), b(m, {}, Direction::Forward, 77), c(m, {}, Direction::Backward, 77);
  int same_c = 0;
  for (int i = 0; i < 1000; ++i) {
    const double x = *a.delay(i);
    ASSERT_EQ(x, *b.delay(i));
    same_c += x == *c.delay(i);
  }
  EXPECT_EQ(same_c, 0);  // the two directions draw from different streams
}

}  // namespace
}  // namespace ffclock::sim
