// SPDX-License-Identifier: BSD-2-Clause
// PublishedClock reads through the real page encoder and reader: the readings must match
// the ClockParams they were encoded from, and the monotonic clock must never go back.
#include "sim/evaluate.hpp"

#include <gtest/gtest.h>

namespace ffclock::sim {
namespace {

core::PageInput page(const core::ClockParams& p) {
  core::PageInput in;
  in.params = p;
  return in;
}

core::ClockParams params_at(uint64_t anchor, int64_t utc_s, long double period_s) {
  core::ClockParams p;
  p.anchor_counter = anchor;
  p.anchor_time = UtcTime::from_unix(utc_s, uint64_t{1} << 62);
  p.period = CounterPeriod::from_seconds(period_s);
  p.local_period = CounterPeriod::from_seconds(period_s * (1.0L + 1e-7L));
  p.time_maxerror = Duration::microseconds(100);
  p.period_maxerror_rel = 1e-6;
  p.status = core::SyncStatus::Synchronized;
  return p;
}

TEST(PublishedClock, ReadsMatchTheParamsExactly) {
  PublishedClock clock;
  EXPECT_FALSE(clock.available());
  const core::ClockParams p = params_at(5'000'000'000, 1'700'000'000, 1e-9L);
  EXPECT_EQ(clock.publish(page(p), p.anchor_counter), Duration::zero());
  ASSERT_TRUE(clock.available());
  for (const uint64_t c : {uint64_t{4'000'000'000}, uint64_t{5'000'000'000}, uint64_t{912'345'678'901}}) {
    EXPECT_EQ(clock.read(c).time, p.time_at(c));
    EXPECT_EQ(clock.elapsed(p.anchor_counter, c), p.elapsed(p.anchor_counter, c));
    // The page rounds maxerror up to whole ns and scales its growth by the local period.
    EXPECT_NEAR(clock.read(c).maxerror.to_seconds(), p.maxerror_at(c).to_seconds(), 2e-9);
  }
  EXPECT_EQ(clock.period_s(), p.period.to_seconds());
  EXPECT_EQ(clock.local_period_s(), p.local_period.to_seconds());
}

TEST(PublishedClock, StepAndMonotonicAcrossAPublication) {
  PublishedClock clock;
  const core::ClockParams p0 = params_at(1'000'000'000, 1'700'000'000, 1e-9L);
  (void)clock.publish(page(p0), p0.anchor_counter);
  const uint64_t c1 = 3'000'000'000;
  const Duration before = clock.monotonic(c1 - 1);
  // Absolute time steps back by 10 ms at c1: the step is reported, monotonic stays continuous.
  core::ClockParams p1 = p0;
  p1.anchor_time = p1.anchor_time - Duration::milliseconds(10);
  const Duration step = clock.publish(page(p1), c1);
  EXPECT_NEAR(step.to_seconds(), -0.010, 1e-12);
  EXPECT_GE(clock.monotonic(c1), before);
  EXPECT_GE(clock.monotonic(c1 + 1), clock.monotonic(c1));
  // After a withdrawal the page (and its monotonic segment) continues.
  clock.withdraw();
  EXPECT_FALSE(clock.available());
  (void)clock.publish(page(p1), c1 + 1'000'000);
  EXPECT_GE(clock.monotonic(c1 + 1'000'000), clock.monotonic(c1));
}

TEST(PublishedClock, SurvivesAMove) {
  PublishedClock a;
  const core::ClockParams p = params_at(0, 1'700'000'000, 1e-9L);
  (void)a.publish(page(p), 0);
  PublishedClock b = std::move(a);  // the reader's page and counter context move with it
  EXPECT_EQ(b.read(1'000).time, p.time_at(1'000));
}

}  // namespace
}  // namespace ffclock::sim
