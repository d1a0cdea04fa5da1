// SPDX-License-Identifier: BSD-2-Clause
// Unannounced disruptions: a suspend (BOOTTIME − MONOTONIC grows) and a counter jump (the
// counter disagrees with MONOTONIC beyond slew and period bound); steady running is quiet.
#include "core/engine/disruption_detector.hpp"

#include <gtest/gtest.h>

using namespace ffclock::core::engine;

namespace {

constexpr long double kPeriod = 1e-9L;

TEST(DisruptionDetector, SteadyRunningWithKernelSlewIsQuiet) {
  DisruptionDetector d;
  uint64_t c = 1'000'000'000'000;
  int64_t mono = 5'000'000'000, boot = 9'000'000'000;
  for (int i = 0; i < 1000; ++i) {
    // 1 s steps, counter 20 ppm fast, monotonic slewed 400 ppm slow.
    EXPECT_FALSE(d.check({c, mono, boot}, kPeriod, 1e-6).has_value()) << i;
    c += 1'000'020'000;
    mono += 999'600'000;
    boot += 999'600'000;
  }
}

TEST(DisruptionDetector, SuspendIsAResume) {
  DisruptionDetector d;
  EXPECT_FALSE(d.check({1000, 0, 0}, kPeriod, 1e-6));
  // 5 s of suspend: BOOTTIME went on, MONOTONIC and the counter did not.
  EXPECT_EQ(d.check({1000 + 1'000'000'000, 1'000'000'000, 6'000'000'000}, kPeriod, 1e-6),
            DisruptionReason::Resume);
}

TEST(DisruptionDetector, CounterJumpBothWays) {
  DisruptionDetector d;
  EXPECT_FALSE(d.check({1'000'000'000'000, 0, 0}, kPeriod, 1e-6));
  EXPECT_EQ(d.check({1'000'000'000'000 + 1'500'000'000'000ULL, 1'000'000'000, 1'000'000'000}, kPeriod, 1e-6),
            DisruptionReason::CounterJump);
  d.restart();
  EXPECT_FALSE(d.check({1'000'000'000'000, 0, 0}, kPeriod, 1e-6));
  EXPECT_EQ(d.check({900'000'000'000, 1'000'000'000, 1'000'000'000}, kPeriod, 1e-6),
            DisruptionReason::CounterJump);
  // 10 ms off over 1 s is beyond 500 ppm + 1 ms.
  d.restart();
  EXPECT_FALSE(d.check({0, 0, 0}, kPeriod, 1e-6));
  EXPECT_EQ(d.check({1'010'000'000, 1'000'000'000, 1'000'000'000}, kPeriod, 1e-6),
            DisruptionReason::CounterJump);
}

}  // namespace
