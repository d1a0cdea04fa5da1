// SPDX-License-Identifier: BSD-2-Clause
// The stamps' intersection interval of the offset, and the line's estimate inside it.
#include "core/estimator/offset_interval.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>

#include "core/estimator/history.hpp"
#include "core/estimator/stamp.hpp"
#include "hand_made_stamps.hpp"

namespace ffclock::core::estimator {
namespace {

using test_stamps::kTrueTick;

constexpr double kUs = 1e-6;
constexpr double kPath = 100 * kUs;  // each way's minimum delay
constexpr double kPoll = 16;

// A stamp sent at true time t over the minimum path plus queues qf (out) and qb (back).
Stamp stamp_at(double t, double qf, double qb) { return test_stamps::stamp_at(t, kPath + qf, kPath + qb); }

// Queues of 16 stamps, µs: no stamp crosses empty both ways, the least out is 3 µs, back 2 µs.
constexpr std::array<std::array<double, 2>, 16> kQueues{{{40, 25},
                                                         {3, 60},
                                                         {80, 12},
                                                         {22, 2},
                                                         {55, 90},
                                                         {17, 31},
                                                         {120, 8},
                                                         {9, 44},
                                                         {66, 70},
                                                         {35, 5},
                                                         {14, 101},
                                                         {48, 19},
                                                         {7, 27},
                                                         {93, 11},
                                                         {29, 38},
                                                         {61, 15}}};

struct Path {
  History<Stamp> history{64};
  UncorrectedClock clock = test_stamps::nominal_clock();
  long double theta = 0;                 // the true offset of Cu at the newest stamp
  long double local_period = kTrueTick;  // the true local period
  uint64_t rtt_min = 0;                  // the path's true minimum RTT
};

Path queued_path() {
  Path p;
  double t = 100;
  for (const auto& q : kQueues) {
    p.history.push(stamp_at(t, q[0] * kUs, q[1] * kUs));
    t += kPoll;
  }
  // A stamp without queueing at the newest one's time gives the true offset and minimum RTT.
  const Stamp ideal = stamp_at(t - kPoll, 0, 0);
  p.theta = p.clock.naive_offset(ideal);
  p.rtt_min = ideal.rtt;
  return p;
}

OffsetInterval interval_of(const Path& p, long double theta, long double local, const IntervalSlack& slack) {
  return offset_interval(p.history, p.history.begin(), p.history.end() - 1, p.clock, theta, local, p.rtt_min,
                         slack);
}

TEST(OffsetInterval, IsSetByTheLeastQueueingEachWayAndHoldsTheTruth) {
  const Path p = queued_path();
  IntervalSlack slack;
  slack.constant_s = 0.5 * kUs;
  const OffsetInterval in = interval_of(p, p.theta, p.local_period, slack);
  // Stamp j pins the offset within [θ − qf_j, θ + qb_j]: the intersection is [−3, +2] µs,
  // far narrower than the best stamp's ±E/2 (±12 µs), widened by the slack.
  EXPECT_NEAR(in.lower, -3.5 * kUs, 0.01 * kUs);
  EXPECT_NEAR(in.upper, 2.5 * kUs, 0.01 * kUs);
}

TEST(OffsetInterval, MovesWithTheLineAndTheTruncatedMeanBringsItBack) {
  const Path p = queued_path();
  IntervalSlack slack;
  slack.constant_s = 0.5 * kUs;
  // A line 30 µs off sees the interval 30 µs away, relative to itself.
  const OffsetInterval in = interval_of(p, p.theta + 30e-6L, p.local_period, slack);
  EXPECT_NEAR(in.lower, -33.5 * kUs, 0.01 * kUs);
  EXPECT_NEAR(in.upper, -27.5 * kUs, 0.01 * kUs);
  // Told the truth is in there, a line of 1σ 20 µs moves into it.
  const TruncatedNormal t = truncated_normal(20 * kUs, in);
  EXPECT_GE(t.mean, in.lower);
  EXPECT_LE(t.mean, in.upper);
  EXPECT_LT(t.sigma, (in.upper - in.lower) / std::sqrt(12.0) * 1.01);
}

TEST(OffsetInterval, ARateErrorNeedsItsSlackOrTheOldStampsMissTheTruth) {
  const Path p = queued_path();
  // A line 1 ppm off carries the oldest stamp (240 s back) 240 µs off.
  const long double wrong = p.local_period * (1 - 1e-6L);
  IntervalSlack tight;
  tight.constant_s = 0.5 * kUs;
  const OffsetInterval bad = interval_of(p, p.theta, wrong, tight);
  EXPECT_TRUE(bad.empty() || bad.lower > 0 || bad.upper < 0);
  // With the rate's error in the slack, the truth is inside again.
  IntervalSlack loose = tight;
  loose.rate = 1.1e-6;
  const OffsetInterval ok = interval_of(p, p.theta, wrong, loose);
  EXPECT_FALSE(ok.empty());
  EXPECT_LE(ok.lower, 0);
  EXPECT_GE(ok.upper, 0);
}

TEST(OffsetInterval, SkipsExcludedStampsAndThoseBelowTheMinimum) {
  Path p = queued_path();
  IntervalSlack slack;
  // The stamp that gave the least queueing out (3 µs) no longer counts: the next is 7 µs.
  p.history.at(p.history.begin() + 1).excluded = true;
  const OffsetInterval in = interval_of(p, p.theta, p.local_period, slack);
  EXPECT_NEAR(in.lower, -7 * kUs, 0.01 * kUs);
  EXPECT_NEAR(in.upper, 2 * kUs, 0.01 * kUs);
}

TEST(TruncatedNormal, MatchesTheClosedFormAndKeepsToTheInterval) {
  constexpr double s = 10 * kUs;
  // Unbounded: the normal itself.
  const TruncatedNormal all = truncated_normal(s, OffsetInterval{-INFINITY, INFINITY});
  EXPECT_DOUBLE_EQ(all.mean, 0);
  EXPECT_NEAR(all.sigma, s, 1e-12);
  // [1σ, 2σ]: mean (φ(1) − φ(2)) / (Φ(2) − Φ(1)) = 1.3832σ; mirrored for [−2σ, −1σ].
  EXPECT_NEAR(truncated_normal(s, OffsetInterval{s, 2 * s}).mean, 1.3832 * s, 1e-4 * s);
  EXPECT_NEAR(truncated_normal(s, OffsetInterval{-2 * s, -s}).mean, -1.3832 * s, 1e-4 * s);
  // Symmetric: centred, and narrower than the normal.
  const TruncatedNormal mid = truncated_normal(s, OffsetInterval{-s, s});
  EXPECT_NEAR(mid.mean, 0, 1e-15);
  EXPECT_NEAR(mid.sigma, 0.5396 * s, 1e-3 * s);
  // Far in the tail the mass sits at the near edge.
  const TruncatedNormal far = truncated_normal(s, OffsetInterval{50 * s, 51 * s});
  EXPECT_GE(far.mean, 50 * s);
  EXPECT_LE(far.mean, 50.1 * s);
  // An empty interval says nothing: the line stays.
  EXPECT_DOUBLE_EQ(truncated_normal(s, OffsetInterval{s, -s}).mean, 0);
}

}  // namespace
}  // namespace ffclock::core::estimator
