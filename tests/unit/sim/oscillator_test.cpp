// SPDX-License-Identifier: BSD-2-Clause
#include "sim/oscillator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace ffclock::sim {
namespace {

OscillatorModel constant_skew(double ppm) {
  OscillatorModel m;
  m.nominal_hz = 1e9;
  m.skew_ppm = ppm;
  m.wander_ppb = 0;
  m.counter_start = 5'000;
  return m;
}

TEST(Oscillator, ConstantSkewCounterIsTheClosedForm) {
  Oscillator osc(constant_skew(100), {}, 1);
  for (const long double t : {0.0L, 0.5L, 1.0L, 16.000123L, 3600.25L, 86400.0L, 31536000.75L}) {
    const long double expected = 5000.0L + std::floor(1e9L * (1.0L + 100e-6L) * t);
    // The phase is computed as t(1 + skew): allow one tick of rounding at a tick boundary.
    EXPECT_NEAR(static_cast<long double>(osc.counter(t)), expected, 1.0L) << static_cast<double>(t);
    EXPECT_DOUBLE_EQ(osc.frequency_error(t), 100e-6);
  }
}

TEST(Oscillator, AtSecondMatchesTheGeneralPath) {
  OscillatorModel m = constant_skew(-30);
  m.wander_ppb = 1;
  m.temperature_ppm = 0.5;
  Oscillator a(m, {}, 9), b(m, {}, 9);
  for (int64_t s = 0; s < 5000; s += 7) {
    const auto fast = a.at_second(s);
    EXPECT_EQ(fast.counter, b.counter(static_cast<SimTime>(s)));
    EXPECT_DOUBLE_EQ(fast.frequency_error, b.frequency_error(static_cast<SimTime>(s)));
  }
}

TEST(Oscillator, WanderIsConstantWithinASecondAndPhaseIsItsIntegral) {
  OscillatorModel m = constant_skew(100);
  m.wander_ppb = 1;
  Oscillator osc(m, {}, 4);
  double max_dev = 0;
  for (int64_t k = 0; k < 3000; ++k) {
    const auto t = static_cast<SimTime>(k);
    const double y = osc.frequency_error(t + 0.5L);
    EXPECT_DOUBLE_EQ(osc.frequency_error(t + 0.1L), y);
    const long double step = osc.phase(t + 1) - osc.phase(t);
    EXPECT_NEAR(static_cast<double>(step - 1.0L), y, 1e-15);
    max_dev = std::max(max_dev, std::fabs(y - 100e-6));
  }
  // A random walk of 1 ppb/s over 3000 s wanders by tens of ppb, not by ppm.
  EXPECT_GT(max_dev, 1e-9);
  EXPECT_LT(max_dev, 1e-6);
}

TEST(Oscillator, WanderIncrementsHaveTheConfiguredSigma) {
  OscillatorModel m = constant_skew(0);
  m.wander_ppb = 2;
  Oscillator osc(m, {}, 11);
  double sumsq = 0;
  constexpr int kN = 50000;
  double prev = osc.frequency_error(0);
  for (int k = 1; k <= kN; ++k) {
    const double y = osc.frequency_error(k);
    sumsq += (y - prev) * (y - prev);
    prev = y;
  }
  EXPECT_NEAR(std::sqrt(sumsq / kN), 2e-9, 0.03 * 2e-9);
}

TEST(Oscillator, TemperatureTermIntegratesToTheClosedForm) {
  OscillatorModel m = constant_skew(0);
  m.temperature_ppm = 1;
  m.temperature_period_s = 86400;
  Oscillator osc(m, {}, 1);
  const long double w = 2 * std::numbers::pi_v<long double> / 86400;
  for (const long double t : {100.0L, 21600.0L, 43200.0L, 86400.0L}) {
    const long double expected = t + 1e-6L / w * (1 - std::cos(w * t));
    EXPECT_NEAR(static_cast<double>(osc.phase(t) - expected), 0.0, 1e-12);
  }
  EXPECT_NEAR(osc.frequency_error(21600), 1e-6, 1e-12);  // quarter period: the peak
}

TEST(Oscillator, MigrationJumpsTheCounterAndStepsTheFrequency) {
  Event mig;
  mig.kind = EventKind::Migration;
  mig.at_s = 1000;
  mig.jump_s = 2.5;
  mig.value = 5;  // ppm
  Oscillator osc(constant_skew(100), {mig}, 1);
  Oscillator ref(constant_skew(100), {}, 1);
  EXPECT_EQ(osc.counter(999.5L), ref.counter(999.5L));
  // 2.5 s of nominal ticks appear at once; then 5 ppm more accumulates.
  const auto jump = static_cast<int64_t>(osc.counter(1000) - ref.counter(1000));
  EXPECT_NEAR(static_cast<double>(jump), 2.5e9, 1.0);
  const auto later = static_cast<int64_t>(osc.counter(2000) - ref.counter(2000));
  EXPECT_NEAR(static_cast<double>(later), 2.5e9 + 1e9 * 5e-6 * 1000, 1.0);
  EXPECT_NEAR(osc.frequency_error(1500), 105e-6, 1e-15);
}

TEST(Oscillator, StoppedCounterHoldsDuringSuspendAndResumesFromThere) {
  Event sus;
  sus.kind = EventKind::Suspend;
  sus.at_s = 100;
  sus.duration_s = 50;
  sus.counter = SuspendCounter::Stops;
  Oscillator osc(constant_skew(0), {sus}, 1);
  const uint64_t at_start = osc.counter(100);
  EXPECT_EQ(osc.counter(120), at_start);
  EXPECT_EQ(osc.counter(149.9L), at_start);
  EXPECT_NEAR(static_cast<double>(osc.counter(150) - at_start), 0.0, 1.0);
  EXPECT_NEAR(static_cast<double>(osc.counter(160) - at_start), 10e9, 1.0);
}

}  // namespace
}  // namespace ffclock::sim
