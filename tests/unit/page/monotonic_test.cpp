// SPDX-License-Identifier: BSD-2-Clause
// Monotonic re-anchoring: exact continuity at the switch counter, bounded slew toward TAI,
// steps move the origin and never the clock.
#include "core/page/monotonic.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace ffclock;
using namespace ffclock::core;

namespace {

const CounterPeriod k1GHz = CounterPeriod::from_seconds(1e-9L);
const TaiTime kT0 = TaiTime::from_unix(1'800'000'000);

TEST(Monotonic, FirstSegmentStartsAtZeroWithOrigin) {
  const auto u = reanchor_monotonic({}, 1000, kT0, k1GHz, true, false);
  EXPECT_TRUE(u.segment.valid);
  EXPECT_FALSE(u.stepped);
  EXPECT_EQ(u.segment.at(1000), Duration::zero());
  EXPECT_EQ(u.segment.origin, kT0);
  EXPECT_NEAR(u.segment.at(1000 + 1'000'000'000).to_seconds(), 1.0, 1e-12);
}

TEST(Monotonic, ContinuityIsExactAcrossRandomReanchors) {
  std::mt19937_64 rng(3);
  MonotonicSegment seg = reanchor_monotonic({}, 0, kT0, k1GHz, true, false).segment;
  uint64_t c = 0;
  for (int i = 0; i < 2000; ++i) {
    c += 1 + rng() % 100'000'000'000ull;
    // Absolute time wanders by up to +-300 ms around the monotonic target, rate +-100 ppm.
    const double off = (static_cast<double>(rng() % 600'000) - 300'000.0) * 1e-6;
    const TaiTime tai = seg.origin + seg.at(c) + Duration::from_seconds(off);
    const CounterPeriod rate =
        CounterPeriod::from_seconds(1e-9L * (1.0L + (static_cast<long double>(rng() % 200) - 100) * 1e-6L));
    const Duration before = seg.at(c);
    const MonotonicUpdate u = reanchor_monotonic(seg, c, tai, rate, true, false);
    ASSERT_EQ(u.segment.at(c), before) << i;  // bit-exact with the reader's formula
    ASSERT_FALSE(u.stepped);
    // Slew bounded by 500 ppm of the TAI rate.
    const long double ratio = u.segment.rate.to_seconds() / rate.to_seconds();
    ASSERT_LE(ratio, 1.0L + 500e-6L + 1e-12L);
    ASSERT_GE(ratio, 1.0L - 500e-6L - 1e-12L);
    // Later counter values never give less than the old segment did at c.
    ASSERT_GE(u.segment.at(c + 1), before);
    seg = u.segment;
  }
}

TEST(Monotonic, SlewsTowardAbsoluteTime) {
  MonotonicSegment seg = reanchor_monotonic({}, 0, kT0, k1GHz, true, false).segment;
  // Absolute time is 100 ms ahead of origin + monotonic at c = 10 s.
  const uint64_t c = 10'000'000'000ull;
  const TaiTime tai = seg.origin + seg.at(c) + Duration::milliseconds(100);
  const MonotonicUpdate u = reanchor_monotonic(seg, c, tai, k1GHz, true, false);
  EXPECT_GT(u.segment.rate.to_seconds(), k1GHz.to_seconds());  // runs fast to catch up
  // After the 1000 s horizon the error is gone (within rounding).
  const uint64_t later = c + 1'000'000'000'000ull;
  const Duration err = (tai + Duration::seconds(1000) - u.segment.origin) - u.segment.at(later);
  EXPECT_LT(abs(err), Duration::microseconds(1));
}

TEST(Monotonic, SlewIsClampedTo500ppm) {
  MonotonicSegment seg = reanchor_monotonic({}, 0, kT0, k1GHz, true, false).segment;
  const uint64_t c = 10'000'000'000ull;
  const TaiTime tai = seg.origin + seg.at(c) + Duration::milliseconds(-400);  // below step threshold
  const MonotonicUpdate u = reanchor_monotonic(seg, c, tai, k1GHz, true, false);
  EXPECT_FALSE(u.stepped);
  EXPECT_NEAR(static_cast<double>(u.segment.rate.to_seconds() / k1GHz.to_seconds()), 1.0 - 400e-6, 1e-9);
  MonotonicConfig tight;
  tight.max_slew = 100e-6;
  const MonotonicUpdate v = reanchor_monotonic(seg, c, tai, k1GHz, true, false, tight);
  EXPECT_NEAR(static_cast<double>(v.segment.rate.to_seconds() / k1GHz.to_seconds()), 1.0 - 100e-6, 1e-9);
}

TEST(Monotonic, ReferenceStepMovesOriginNotClock) {
  MonotonicSegment seg = reanchor_monotonic({}, 0, kT0, k1GHz, true, false).segment;
  const uint64_t c = 10'000'000'000ull;
  const Duration before = seg.at(c);
  // Absolute time stepped back an hour (seed 004): monotonic must not move.
  const TaiTime tai = seg.origin + before - Duration::seconds(3600);
  const MonotonicUpdate u = reanchor_monotonic(seg, c, tai, k1GHz, true, false);
  EXPECT_TRUE(u.stepped);
  EXPECT_EQ(u.segment.at(c), before);
  EXPECT_EQ(u.segment.origin, tai - before);
  EXPECT_EQ(u.segment.rate, k1GHz);  // no slew toward the stepped time
  // A daemon-declared step re-bases even a small difference.
  const MonotonicUpdate w =
      reanchor_monotonic(seg, c, seg.origin + before + Duration::milliseconds(5), k1GHz, true, true);
  EXPECT_TRUE(w.stepped);
  EXPECT_EQ(w.segment.rate, k1GHz);
}

TEST(Monotonic, UnknownAbsoluteTimeKeepsOrigin) {
  MonotonicSegment seg = reanchor_monotonic({}, 0, TaiTime{}, k1GHz, false, false).segment;
  EXPECT_EQ(seg.origin, TaiTime{});
  const uint64_t c = 5'000'000'000ull;
  // First calibration: origin set, not counted as a step.
  const MonotonicUpdate u = reanchor_monotonic(seg, c, kT0, k1GHz, true, false);
  EXPECT_FALSE(u.stepped);
  EXPECT_EQ(u.segment.origin, kT0 - seg.at(c));
}

TEST(Monotonic, ScalePeriodRenormalises) {
  const CounterPeriod top{~uint64_t{0} - 10, 29};
  const CounterPeriod up = scale_period(top, 1e-4);
  EXPECT_EQ(up.shift, 28);
  EXPECT_NEAR(static_cast<double>(up.to_seconds() / top.to_seconds()), 1.0001, 1e-12);
  const CounterPeriod bottom{uint64_t{1} << 63, 29};
  const CounterPeriod down = scale_period(bottom, -1e-4);
  EXPECT_EQ(down.shift, 30);
  EXPECT_NEAR(static_cast<double>(down.to_seconds() / bottom.to_seconds()), 0.9999, 1e-12);
}

}  // namespace
