// SPDX-License-Identifier: BSD-2-Clause
// ShiftAsymmetry: the offset a level shift brought with it, for the published 1σ.
#include "core/estimator/shift_asymmetry.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace ffclock::core::estimator {
namespace {

constexpr double kPeriod = 1e-9;  // s per count
constexpr double kUs = 1e-6;

TEST(ShiftAsymmetry, AOneWayShiftsJumpIsKeptUntilThePathReturns) {
  ShiftAsymmetry a;
  EXPECT_EQ(a.bias(), 0.0);
  a.shifted_up(200'000, 2'200'000);  // RTT 200 µs -> 2.2 ms
  a.published(1000 * kUs, 4 * kUs * 4 * kUs, kPeriod);
  EXPECT_NEAR(a.bias() / kUs, 1000.0, 0.1);
  // Later lines do not re-measure it; the shifted path stays.
  a.published(1 * kUs, 0, kPeriod);
  a.rtt(2'150'000);
  EXPECT_NEAR(a.bias() / kUs, 1000.0, 0.1);
  // The RTT back below the middle of the rise: the old path, and the offsets, are back.
  a.rtt(205'000);
  EXPECT_EQ(a.bias(), 0.0);
}

TEST(ShiftAsymmetry, ASymmetricShiftsJumpIsTheLinesNoise) {
  ShiftAsymmetry a;
  a.shifted_up(200'000, 1'200'000);
  a.published(3 * kUs, 4 * kUs * 4 * kUs, kPeriod);  // within its noise (σ 4 µs)
  EXPECT_EQ(a.bias(), 0.0);
  // A 2σ jump is still noise: the first line after a shift stands on a stamp or two, and
  // √(J² − σ²) said √3·σ for it.
  ShiftAsymmetry c;
  c.shifted_up(200'000, 1'200'000);
  c.published(8 * kUs, 4 * kUs * 4 * kUs, kPeriod);
  EXPECT_EQ(c.bias(), 0.0);
  ShiftAsymmetry b;
  b.shifted_up(200'000, 1'200'000);
  b.published(10 * kUs, 3 * kUs * 3 * kUs, kPeriod);  // √(100 − 4·9) = 8 µs
  EXPECT_NEAR(b.bias() / kUs, 8.0, 1e-6);
}

TEST(ShiftAsymmetry, NeverMoreThanHalfTheRise) {
  ShiftAsymmetry a;
  a.shifted_up(200'000, 1'200'000);  // D = 1 ms
  a.published(3e-3, 0, kPeriod);     // a 3 ms jump is not the path's doing (a server step)
  EXPECT_NEAR(a.bias() / kUs, 500.0, 1e-6);
  ShiftAsymmetry b;
  b.shifted_up(200'000, 1'200'000);
  b.published(std::numeric_limits<double>::quiet_NaN(), 0, kPeriod);
  EXPECT_NEAR(b.bias() / kUs, 500.0, 1e-6);
}

TEST(ShiftAsymmetry, NothingWithoutAShift) {
  ShiftAsymmetry a;
  a.published(1e-3, 0, kPeriod);
  a.rtt(100);
  EXPECT_EQ(a.bias(), 0.0);
  a.shifted_up(300, 200);  // not a rise
  a.published(1e-3, 0, kPeriod);
  EXPECT_EQ(a.bias(), 0.0);
}

TEST(ShiftAsymmetry, ASecondRiseCountsFromTheFirstBase) {
  ShiftAsymmetry a;
  a.shifted_up(200'000, 1'200'000);
  a.published(100 * kUs, 0, kPeriod);
  a.shifted_up(1'200'000, 2'200'000);  // D now 2 ms from the original path
  a.published(900 * kUs, 0, kPeriod);
  EXPECT_NEAR(a.bias() / kUs, 900.0, 1e-6);
  a.rtt(1'250'000);  // still above the middle of the whole rise (1.2 ms)
  EXPECT_NEAR(a.bias() / kUs, 900.0, 1e-6);
  a.rtt(1'150'000);
  EXPECT_EQ(a.bias(), 0.0);
}

}  // namespace
}  // namespace ffclock::core::estimator
