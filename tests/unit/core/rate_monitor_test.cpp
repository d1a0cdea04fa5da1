// SPDX-License-Identifier: BSD-2-Clause
// RateMonitor: the rate bound follows what the fits and the line's misses prove, and nothing
// else.
#include "core/estimator/rate_monitor.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace ffclock::core::estimator {
namespace {

RateMonitorConfig config() {
  RateMonitorConfig c;
  c.floor = 0.5e-6;
  c.margin = 1.5;
  c.z = 3;
  c.min_stamps = 8;
  c.memory_s = 86400;
  c.transient_memory_s = 1024;
  return c;
}

std::array<LineFit, kMaxFitWindows> fits_with(double slope, double slope_sigma, uint32_t stamps) {
  std::array<LineFit, kMaxFitWindows> f{};
  f[0].valid = true;
  f[0].fitted_slope = true;
  f[0].slope = slope;
  f[0].slope_esterror = slope_sigma;
  f[0].stamps = stamps;
  return f;
}

TEST(RateMonitor, QuietOscillatorKeepsTheFloor) {
  RateMonitor m;
  m.start(config());
  // Slopes within their noise: nothing proven.
  for (int i = 0; i < 100; ++i) m.observe(fits_with(i % 2 ? 0.1e-6 : -0.1e-6, 0.05e-6, 64), 1, 16.0 * i, 0);
  EXPECT_DOUBLE_EQ(m.envelope(), 0);
  EXPECT_DOUBLE_EQ(m.rate_bound(), 0.5e-6);
}

TEST(RateMonitor, ProvenDepartureWidensTheBoundAndIsForgotten) {
  RateMonitor m;
  m.start(config());
  m.observe(fits_with(3e-6, 0.1e-6, 64), 1, 0, 0);
  EXPECT_NEAR(m.envelope(), 2.7e-6, 1e-12);          // |slope| − 3σ
  EXPECT_NEAR(m.rate_bound(), 1.5 * 2.7e-6, 1e-12);  // margin · envelope
  // One memory later with no new evidence: e⁻¹ of it.
  m.observe(fits_with(0, 0.1e-6, 64), 1, 86400, 0);
  EXPECT_NEAR(m.envelope(), 2.7e-6 / std::exp(1.0), 1e-12);
}

TEST(RateMonitor, ShortWindowsAndUnfittedSlopesProveNothing) {
  RateMonitor m;
  m.start(config());
  m.observe(fits_with(5e-6, 0.1e-6, 6), 1, 0, 0);  // fewer than min_stamps
  auto f = fits_with(5e-6, 0.1e-6, 64);
  f[0].fitted_slope = false;  // the prior's slope, not the data's
  m.observe(f, 1, 16, 0);
  f = fits_with(5e-6, 0.1e-6, 64);
  m.observe(f, 0, 32, 0);  // no candidates counted
  EXPECT_DOUBLE_EQ(m.envelope(), 0);
}

TEST(RateMonitor, DepartureExplainedByPeriodErrorIsNotRemembered) {
  RateMonitor m;
  m.start(config());
  m.observe(fits_with(2e-6, 0.1e-6, 64), 1, 0, 2e-6);  // p̂ itself may be 2 ppm off
  EXPECT_DOUBLE_EQ(m.envelope(), 0);
}

TEST(RateMonitor, OneMissIsNoiseTwoOnOneSideAreAMove) {
  RateMonitor m;
  m.start(config());
  // 16 s after the anchor, 80 µs off a line with slope 0, tolerance 20 µs: 3.75 ppm.
  // One miss loosens the slope prior, but the gates stay.
  EXPECT_FALSE(m.observe_innovation(80e-6, 20e-6, 16, 0, 0, 0));
  EXPECT_NEAR(m.line_departure(), 60e-6 / 16, 1e-12);
  EXPECT_DOUBLE_EQ(m.rate_bound(), 0.5e-6);
  // The next one misses on the other side: still no confirmed move.
  EXPECT_FALSE(m.observe_innovation(-80e-6, 20e-6, 16, 0, 16, 0));
  EXPECT_DOUBLE_EQ(m.rate_bound(), 0.5e-6);
  // Same side again: confirmed, the smaller departure of the two opens the gates.
  EXPECT_TRUE(m.observe_innovation(-60e-6, 20e-6, 16, 0, 32, 0));
  EXPECT_NEAR(m.rate_bound(), 1.5 * 40e-6 / 16, 1e-12);
  // A miss within tolerance breaks the run.
  EXPECT_FALSE(m.observe_innovation(10e-6, 20e-6, 16, 0, 48, 0));
  EXPECT_FALSE(m.observe_innovation(-90e-6, 20e-6, 16, 0, 64, 0));
}

TEST(RateMonitor, MoveIsMeasuredFromTheLineSlopeAndFades) {
  RateMonitor m;
  m.start(config());
  // The line already runs 1 ppm fast relative to p̂ and the stamps say 2 ppm more.
  m.observe_innovation(52e-6, 20e-6, 16, 1e-6, 0, 0);
  m.observe_innovation(52e-6, 20e-6, 16, 1e-6, 16, 0);
  EXPECT_NEAR(m.rate_bound(), 1.5 * 3e-6, 1e-12);
  // The transient evidence fades over transient_memory_s, the floor remains.
  m.observe_innovation(0, 20e-6, 16, 0, 16 + 20 * 1024, 0);
  EXPECT_DOUBLE_EQ(m.rate_bound(), 0.5e-6);
}

TEST(RateMonitor, StartForgetsEverything) {
  RateMonitor m;
  m.start(config());
  m.observe(fits_with(4e-6, 0.1e-6, 64), 1, 0, 0);
  m.observe_innovation(52e-6, 20e-6, 16, 0, 16, 0);
  m.start(config());
  EXPECT_DOUBLE_EQ(m.envelope(), 0);
  EXPECT_DOUBLE_EQ(m.line_departure(), 0);
  EXPECT_DOUBLE_EQ(m.rate_bound(), 0.5e-6);
  EXPECT_FALSE(m.observe_innovation(52e-6, 20e-6, 16, 0, 32, 0));  // no pending miss survives
}

}  // namespace
}  // namespace ffclock::core::estimator
