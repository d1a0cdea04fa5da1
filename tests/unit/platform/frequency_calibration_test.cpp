// SPDX-License-Identifier: BSD-2-Clause
// Frequency estimation from bracketed samples (pure), and one real calibration of a counter
// that is the reference itself.
#include "platform/frequency_calibration.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "platform/monotonic_raw_counter.hpp"

using namespace ffclock::platform;

namespace {
// A sample of a counter at `hz` starting at `c0`, read at t_ns with a bracket of width w_ns.
CalibrationSample at(int64_t t_ns, int64_t w_ns, double hz, uint64_t c0 = 1000) {
  const uint64_t c = c0 + static_cast<uint64_t>(static_cast<double>(t_ns) * hz / 1e9);
  return {t_ns - w_ns / 2, c, t_ns + w_ns / 2};
}
}  // namespace

TEST(EstimateFrequency, ExactSamplesGiveExactFrequency) {
  const std::vector<CalibrationSample> s{at(0, 0, 2.5e9), at(50'000'000, 0, 2.5e9),
                                         at(100'000'000, 0, 2.5e9)};
  auto f = estimate_frequency(s);
  ASSERT_TRUE(f.has_value());
  EXPECT_DOUBLE_EQ(f->hz, 2.5e9);
  EXPECT_DOUBLE_EQ(f->uncertainty_hz, 0.0);
}

TEST(EstimateFrequency, BracketWidthBoundsTheError) {
  // 1 us brackets over 100 ms: the midpoints may be off by 0.5 us each, 1 us in 100 ms = 10 ppm.
  const std::vector<CalibrationSample> s{at(0, 1000, 1e9), at(50'000'000, 1000, 1e9),
                                         at(100'000'000, 1000, 1e9)};
  auto f = estimate_frequency(s);
  ASSERT_TRUE(f.has_value());
  EXPECT_NEAR(f->hz, 1e9, 1.0);
  EXPECT_NEAR(f->uncertainty_ppm(), 10.0, 0.01);
}

TEST(EstimateFrequency, InconsistentIntervalsWidenTheUncertainty) {
  // The middle sample was delayed 10 us after its bracket closed (e.g. preempted): the two
  // intervals disagree by 2 x 10 us / 50 ms = 400 ppm; the estimate must not claim better.
  auto mid = at(50'000'000, 100, 1e9);
  mid.counter += 10'000;
  const std::vector<CalibrationSample> s{at(0, 100, 1e9), mid, at(100'000'000, 100, 1e9)};
  auto f = estimate_frequency(s);
  ASSERT_TRUE(f.has_value());
  EXPECT_NEAR(f->hz, 1e9, 1.0);
  EXPECT_GE(f->uncertainty_ppm(), 199.0);
}

TEST(EstimateFrequency, RejectsBadInput) {
  const std::vector<CalibrationSample> one{at(0, 0, 1e9)};
  ASSERT_FALSE(estimate_frequency(one).has_value());
  EXPECT_EQ(estimate_frequency(one).error(), CalibrationError::TooFewSamples);

  const std::vector<CalibrationSample> stuck{{0, 5, 10}, {100, 5, 110}};
  EXPECT_EQ(estimate_frequency(stuck).error(), CalibrationError::NotIncreasing);

  const std::vector<CalibrationSample> backwards_bracket{{10, 5, 0}, {100, 50, 110}};
  EXPECT_EQ(estimate_frequency(backwards_bracket).error(), CalibrationError::NotIncreasing);

  const std::vector<CalibrationSample> wide{{0, 5, 1000}, {600, 900, 1600}};
  EXPECT_EQ(estimate_frequency(wide).error(), CalibrationError::BracketTooWide);
  EXPECT_NE(std::string{to_string(CalibrationError::BracketTooWide)}, "");
}

TEST(CalibrateAgainstMonotonicRaw, ReferenceAgainstItselfIsOneGigahertz) {
  MonotonicRawCounter raw;
  CalibrationOptions opt;
  opt.interval_ns = 10'000'000;
  auto f = calibrate_against_monotonic_raw([&raw] { return raw.read(); }, opt);
  ASSERT_TRUE(f.has_value()) << to_string(f.error());
  // Same clock on both sides: only the bracket (read jitter) separates them.
  EXPECT_NEAR(f->hz, 1e9, 1e9 * 1e-3);
  EXPECT_LE(std::abs(f->hz - 1e9), f->uncertainty_hz + 1.0);
}
