// SPDX-License-Identifier: BSD-2-Clause
// HoldoverVariance: what extrapolating a published line for long has cost, by age.
#include "core/estimator/holdover_variance.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace ffclock::core::estimator {
namespace {

constexpr long double kPeriod = 1e-9L;  // 1 GHz counter
constexpr double kStep = 16;            // a line every 16 s

HoldoverVariance started() {
  HoldoverVariance h;
  h.start(HoldoverVarianceConfig{});
  return h;
}

// An oscillator whose frequency error y (relative) moves by `dy(t)` each second, and the
// lines a perfect estimator would publish from it: at each anchor the true time, and the
// period the counter has at that instant. Their misses are then the oscillator's alone.
struct Oscillator {
  double t = 0;       // true time (s)
  long double x = 0;  // counter time (s at the nominal period) minus true time
  double y = 0;       // frequency error now
  uint64_t ticks() const { return static_cast<uint64_t>(std::llround((t + x) / kPeriod)); }
  HeldLine line() const {
    // Counter-time rate 1 + y: the true seconds per tick are kPeriod / (1 + y).
    return HeldLine{ticks(), static_cast<long double>(t), kPeriod / (1 + static_cast<long double>(y))};
  }
  template <class Dy>
  void run(double seconds, Dy dy) {
    for (double s = 0; s < seconds; ++s) {
      y += dy(t);
      x += y;
      t += 1;
    }
  }
};

// Feeds `lines` lines 16 s apart from the oscillator, each off by `noise()` (s) and said to
// have that noise's variance, while its frequency moves by dy(t) each second.
template <class Dy, class Noise>
void feed(HoldoverVariance& h, Oscillator& o, int lines, Dy dy, Noise noise, double variance) {
  for (int i = 0; i < lines; ++i) {
    HeldLine l = o.line();
    l.anchor_s += noise();
    h.observe(l, variance, kPeriod);
    o.run(kStep, dy);
  }
}
template <class Dy>
void feed(HoldoverVariance& h, Oscillator& o, int lines, Dy dy) {
  feed(
      h, o, lines, dy, [] { return 0.0; }, 0);
}

// d ln V / d ln a around `age`.
double local_exponent(const HoldoverVariance& h, double age) {
  return std::log(h.variance_at(age * 1.01) / h.variance_at(age / 1.01)) / std::log(1.01 * 1.01);
}

TEST(HoldoverVariance, NothingIsKnownBeforeEnoughMisses) {
  HoldoverVariance h = started();
  EXPECT_EQ(h.variance_at(1000), 0);
  Oscillator o;
  feed(h, o, 10, [](double) { return 0.0; });  // 160 s: no line is old enough yet
  EXPECT_EQ(h.variance_at(1000), 0);
  EXPECT_EQ(h.measured(0), 0);
}

TEST(HoldoverVariance, ARandomWalkOfTheFrequencyGrowsAsTheCubeOfTheAge) {
  // q = (1 ppb)² per second: the lan scenarios' wander. V(a) = q·a³/3.
  std::mt19937_64 rng(11);
  std::normal_distribution<double> step(0, 1e-9);
  HoldoverVariance h = started();
  Oscillator o;
  feed(h, o, 6 * 86400 / 16, [&](double) { return step(rng); });
  for (std::size_t k = 0; k < HoldoverVariance::kAges; ++k) {
    const double age = 256.0 * std::pow(2.0, static_cast<double>(k));
    const double want = 1e-18 * age * age * age / 3;
    // A day's memory holds ~86400/age independent misses at that age: the figure's own
    // noise is sqrt(2·age/86400) relative, 60 % at 8192 s.
    EXPECT_NEAR(h.measured(k) / want, 1.0, k < 3 ? 0.35 : 0.8) << age;
  }
  EXPECT_NEAR(local_exponent(h, 400), 3.0, 1.0);
  // Beyond the last age the random walk's a³, below the first a drift's a⁴, the fastest.
  EXPECT_NEAR(h.variance_at(20000) / h.variance_at(8192), std::pow(20000.0 / 8192, 3), 1e-9);
  EXPECT_NEAR(h.variance_at(128) / h.variance_at(256), 1.0 / 16, 1e-12);
}

TEST(HoldoverVariance, ASteadyDriftGrowsAsTheFourthPower) {
  // ḟ = 1e-10 per second (a thermal ramp of 0.36 ppm/h): the miss is ḟa²/2 exactly.
  HoldoverVariance h = started();
  Oscillator o;
  feed(h, o, 86400 / 16, [](double) { return 1e-10; });
  const double a = 1024;
  EXPECT_NEAR(std::sqrt(h.measured(2)) / (1e-10 * a * a / 2), 1.0, 0.05);
  EXPECT_NEAR(local_exponent(h, 1500), 4.0, 0.1);
}

TEST(HoldoverVariance, TheNewerLinesOwnNoiseIsTakenOut) {
  // A quiet oscillator, lines off by white noise σ = 2 µs: a kept line misses a newer one by
  // the difference of two such errors (variance 2σ²); less the newer line's σ², V = σ² at
  // every age: the old line's own error, which extrapolation does not grow.
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0, 2e-6);
  HoldoverVariance h = started();
  Oscillator o;
  feed(
      h, o, 4 * 86400 / 16, [](double) { return 0.0; }, [&] { return noise(rng); }, 4e-12);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(std::sqrt(h.measured(k)) / 2e-6, 1.0, 0.15) << k;
  // The ages' means scatter around σ², some below a shorter age's; a longer extrapolation
  // never costs less, so the curve is lifted to stay non-decreasing.
  bool scattered_down = false;
  for (std::size_t k = 1; k < HoldoverVariance::kAges; ++k)
    scattered_down = scattered_down || h.measured(k) < h.measured(k - 1);
  EXPECT_TRUE(scattered_down);  // else this test shows nothing
  for (double a = 200; a < 20000; a *= 1.1) EXPECT_LE(h.variance_at(a), h.variance_at(a * 1.1)) << a;
}

}  // namespace
}  // namespace ffclock::core::estimator
