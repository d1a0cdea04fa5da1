// SPDX-License-Identifier: BSD-2-Clause
// The estimator's components one by one, on hand-made stamps whose truth is known: the offset
// line fit, the window selector, the RTT filter, the period pair and the hard offset bound.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>

#include "core/estimator/fit_points.hpp"
#include "core/estimator/history.hpp"
#include "core/estimator/offset_estimator.hpp"
#include "core/estimator/offset_fit.hpp"
#include "core/estimator/period_estimator.hpp"
#include "core/estimator/rtt_filter.hpp"
#include "core/estimator/stamp.hpp"
#include "core/estimator/window_selector.hpp"
#include "core/estimator/windows.hpp"
#include "hand_made_stamps.hpp"

namespace ffclock::core::estimator {
namespace {

using test_stamps::kTrueTick;
using test_stamps::nominal_clock;
using test_stamps::stamp_at;

constexpr double kUs = 1e-6;

History<Stamp> symmetric_history(int n, double poll, uint64_t& rtt_hat) {
  History<Stamp> h(512);
  rtt_hat = UINT64_MAX;
  for (int k = 0; k < n; ++k) {
    Stamp s = stamp_at(100 + k * poll, 100 * kUs, 100 * kUs);
    rtt_hat = std::min(rtt_hat, s.rtt);
    h.push(s);
  }
  for (uint64_t j = h.begin(); j < h.end(); ++j) h.at(j).rtt_hat = rtt_hat;
  return h;
}

TEST(OffsetFit, WindowLengthsAscendAboutRootTwoApartAndEndAtTheLongest) {
  const FitWindows w = make_fit_windows(4, 256);
  ASSERT_GE(w.count, 10u);
  EXPECT_EQ(w.length[0], 4u);
  EXPECT_EQ(w.length[w.count - 1], 256u);
  for (std::size_t k = 1; k < w.count; ++k) {
    EXPECT_GT(w.length[k], w.length[k - 1]);
    EXPECT_LE(static_cast<double>(w.length[k]) / w.length[k - 1], 1.6);
  }
}

// The candidate fits of `n` stamps 16 s apart over a perfect symmetric path (in `h`).
std::array<LineFit, kMaxFitWindows> fit_perfect_path(int n, const FitWindows& w, History<Stamp>& h) {
  uint64_t rtt_hat = 0;
  h = symmetric_history(n, 16, rtt_hat);
  const UncorrectedClock clock = nominal_clock();
  for (uint64_t j = h.begin(); j < h.end(); ++j)
    h.at(j).weight = stamp_weight(h.at(j), clock, 15e-6, 1e-3, 0);
  std::array<LineFit, kMaxFitWindows> fits{};
  fit_windows(h, FitPoints(h), 0, h.end() - 1, clock, 0, 0, 15e-6, w, false, fits);
  return fits;
}

TEST(OffsetFit, RecoversOffsetAndRateOfAPerfectPath) {
  const FitWindows w = make_fit_windows(4, 64);
  History<Stamp> h;
  const std::array<LineFit, kMaxFitWindows> fits = fit_perfect_path(64, w, h);
  const UncorrectedClock clock = nominal_clock();
  // Symmetric path: the newest naive offset is the truth; Cu gains −2 ppm·t (counts too few
  // seconds: its period is too short), so θ falls at 2 ppm.
  const long double truth = clock.naive_offset(h.back());
  for (std::size_t k = 0; k < w.count; ++k) {
    ASSERT_TRUE(fits[k].valid) << k;
    EXPECT_NEAR(static_cast<double>(fits[k].theta - truth), 0, 1e-9) << k;
    EXPECT_NEAR(fits[k].slope, -2e-6, 1e-9) << k;
    EXPECT_LT(fits[k].esterror, 1e-9) << k;
    EXPECT_EQ(fits[k].stamps, w.length[k]);
  }
  // Moving the slope keeps the line through the weighted centroid.
  const LineFit moved = with_slope(fits[2], 0);
  EXPECT_NEAR(static_cast<double>(moved.theta - fits[2].theta), fits[2].slope * fits[2].x_mean, 1e-12);
  EXPECT_LT(fits[2].x_mean, 0);
}

// A window cut short (after a change point) fits a slope from any two stamps, however unequal
// their weights; a full window needs two effective stamps' worth of weight.
TEST(OffsetFit, WindowsCutShortFitASlopeFromTwoUnequalStamps) {
  History<Stamp> h(16);
  Stamp a = stamp_at(100, 100 * kUs, 100 * kUs);
  Stamp b = stamp_at(116, 120 * kUs, 120 * kUs);  // 40 µs of queueing, split evenly: still exact
  a.rtt_hat = b.rtt_hat = a.rtt;
  h.push(a);
  h.push(b);
  const UncorrectedClock clock = nominal_clock();
  for (uint64_t j = h.begin(); j < h.end(); ++j)
    h.at(j).weight = stamp_weight(h.at(j), clock, 15e-6, 1e-3, 0);
  ASSERT_GT(h.at(0).weight, 5 * h.at(1).weight);  // n_eff < 2
  const FitWindows w = make_fit_windows(4, 8);
  std::array<LineFit, kMaxFitWindows> fits{};
  fit_windows(h, FitPoints(h), 0, 1, clock, 0, 0, 15e-6, w, false, fits);
  EXPECT_FALSE(fits[0].fitted_slope);
  EXPECT_EQ(fits[0].slope, 0);  // the prior's
  fit_windows(h, FitPoints(h), 0, 1, clock, 0, 0, 15e-6, w, true, fits);
  ASSERT_TRUE(fits[0].fitted_slope);
  EXPECT_NEAR(fits[0].slope, -2e-6, 1e-9);
  EXPECT_NEAR(static_cast<double>(fits[0].theta - clock.naive_offset(h.back())), 0, 1e-9);
}

TEST(OffsetFit, StampsAboveTheCutHaveNoWeightAndNoPull) {
  uint64_t rtt_hat = 0;
  History<Stamp> h = symmetric_history(32, 16, rtt_hat);
  // One stamp with 400 µs extra delay on the way out: its offset is 200 µs off.
  Stamp bad = stamp_at(100 + 32 * 16, 500 * kUs, 100 * kUs);
  bad.rtt_hat = rtt_hat;
  h.push(bad);
  const UncorrectedClock clock = nominal_clock();
  for (uint64_t j = h.begin(); j < h.end(); ++j)
    h.at(j).weight = stamp_weight(h.at(j), clock, 15e-6, 100e-6, 0);
  EXPECT_EQ(h.back().weight, 0.0);
  EXPECT_GT(h.at(0).weight, 0.0);
  const FitWindows w = make_fit_windows(8, 32);
  std::array<LineFit, kMaxFitWindows> fits{};
  fit_windows(h, FitPoints(h), 0, h.end() - 1, clock, 0, 0, 15e-6, w, false, fits);
  // The line through the good stamps, extrapolated to the bad one's time: 2 ppm·16 s from the last good.
  const long double good = clock.naive_offset(h.at(h.end() - 2));
  const double dt =
      static_cast<double>(clock.period() * static_cast<long double>(h.back().tf - h.at(h.end() - 2).tf));
  EXPECT_NEAR(static_cast<double>(fits[w.count - 1].theta - good), -2e-6 * dt, 1e-9);
}

// 128 stamps over a 100 µs + 100 µs path with a queueing excess of 0–200 µs per stamp; the
// forward share of each stamp's excess is `share(j)`. Returns the longest window's fit and the
// truth at its newest stamp.
LineFit fit_with_queues(double (*share)(int), long double& truth) {
  History<Stamp> h(512);
  uint64_t rtt_hat = UINT64_MAX;
  uint64_t lcg = 12345;
  for (int k = 0; k < 128; ++k) {
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    const double e = 200 * kUs * static_cast<double>(lcg >> 11) / 9007199254740992.0;
    const double t = 100 + k * 16;
    Stamp s = stamp_at(t, 100 * kUs + share(k) * e, 100 * kUs + (1 - share(k)) * e);
    rtt_hat = std::min(rtt_hat, stamp_at(t, 100 * kUs, 100 * kUs).rtt);
    h.push(s);
  }
  const UncorrectedClock clock = nominal_clock();
  for (uint64_t j = h.begin(); j < h.end(); ++j) {
    h.at(j).rtt_hat = rtt_hat;
    h.at(j).weight = stamp_weight(h.at(j), clock, 15e-6, 1e-3, 0);
  }
  truth = clock.naive_offset(stamp_at(100 + 127 * 16, 100 * kUs, 100 * kUs));
  const FitWindows w = make_fit_windows(128, 128);
  std::array<LineFit, kMaxFitWindows> fits{};
  fit_windows(h, FitPoints(h), 0, h.end() - 1, clock, 0, 0, 15e-6, w, false, fits);
  return fits[w.count - 1];
}

TEST(OffsetFit, TheAsymmetryTermFollowsHowTheExcessSplits) {
  long double truth = 0;
  // Symmetric queues: each stamp's split is its own (here alternating, mean ½). The residuals
  // show no trend with E, so the term is far below the worst case mean(E)/(2√3) ≈ 15 µs.
  const LineFit sym = fit_with_queues([](int k) { return k % 2 ? 0.9 : 0.1; }, truth);
  ASSERT_TRUE(sym.valid);
  EXPECT_LT(std::fabs(static_cast<double>(sym.theta - truth)), 10 * kUs);
  EXPECT_LT(sym.published_esterror, 8 * kUs);
  // One-way queueing: every excess on the way out, the naive offsets α·E off with α = ½. The
  // fit is off by about ½ the weighted mean E, and the 1σ says so.
  const LineFit oneway = fit_with_queues([](int) { return 1.0; }, truth);
  ASSERT_TRUE(oneway.valid);
  const double err = std::fabs(static_cast<double>(oneway.theta - truth));
  EXPECT_GT(err, 8 * kUs);  // (the weights favour small excesses: mean E is about 25 µs)
  EXPECT_GT(oneway.published_esterror, 0.9 * err) << err;
  EXPECT_LT(oneway.published_esterror, 1.5 * err) << err;
}

TEST(OffsetFit, AWindowWithoutResidualsFallsBackOnItsBestStamp) {
  // Two stamps fit a line exactly: no residual says how good it is.
  History<Stamp> h;
  const std::array<LineFit, kMaxFitWindows> fits = fit_perfect_path(2, make_fit_windows(2, 2), h);
  ASSERT_TRUE(fits[0].valid);
  ASSERT_TRUE(fits[0].fitted_slope);
  EXPECT_LT(fits[0].esterror, 1e-9);  // the residuals' figure
  // At the minimum RTT the best stamp's variance is the floor's, (15 µs)²/12.
  EXPECT_NEAR(fits[0].published_esterror, 15 * kUs / std::sqrt(12.0), 0.5 * kUs);
}

TEST(WindowSelector, PrefersTheCandidateThatPredictsAndWaitsForEnoughScores) {
  WindowSelector sel;
  sel.start(128);
  const UncorrectedClock clock = nominal_clock();
  const FitWindows w = make_fit_windows(4, 8);  // 4, 6, 8
  ASSERT_EQ(w.count, 3u);
  std::array<LineFit, kMaxFitWindows> fits{};
  for (std::size_t k = 0; k < w.count; ++k) {
    fits[k].valid = true;
    fits[k].stamps = w.length[k];
  }
  for (int n = 0; n < 200; ++n) {
    const Stamp s = stamp_at(100 + n * 16, 100 * kUs, 100 * kUs);
    const long double truth = clock.naive_offset(s);
    if (n > 0) sel.score(s, clock, 1.0);
    if (n == 10) {
      EXPECT_EQ(sel.choose(fits, w.count, 2, w), 2u);  // too few scores: the default
    }
    // Candidate 1 is exact, 0 and 2 are 20 µs off.
    fits[0].theta = truth + 20e-6L;
    fits[1].theta = truth;
    fits[2].theta = truth - 20e-6L;
    for (auto& f : fits) f.slope = -2e-6;
    sel.remember(fits, w.count, s.tf, clock);
  }
  EXPECT_EQ(sel.choose(fits, w.count, 2, w), 1u);
}

// Mixing weights: 1 for the chosen candidate, exp(−sharpness · (score/best − 1)) for the
// others it may use, nothing before the scores mean something.
TEST(WindowSelector, MixWeightsFollowTheScoresOnceTheyMeanSomething) {
  WindowSelector sel;
  sel.start(128);
  const UncorrectedClock clock = nominal_clock();
  std::array<LineFit, kMaxFitWindows> fits{};
  for (std::size_t k = 0; k < 3; ++k) fits[k].valid = true;
  const std::array<bool, kMaxFitWindows> usable{true, true, false};
  for (int n = 0; n < 200; ++n) {
    const Stamp s = stamp_at(100 + n * 16, 100 * kUs, 100 * kUs);
    const long double truth = clock.naive_offset(s);
    if (n > 0) sel.score(s, clock, 1.0);
    if (n == 10) {
      const auto early = sel.mix_weights(1, 10, usable);
      EXPECT_EQ(early[0], 0);
      EXPECT_EQ(early[1], 1);
    }
    // Candidate 1 misses by 10 µs, 0 by 20 µs (four times the squared error), 2 by 10 µs.
    fits[0].theta = truth + 20e-6L;
    fits[1].theta = truth - 10e-6L;
    fits[2].theta = truth + 10e-6L;
    for (auto& f : fits) f.slope = -2e-6;
    sel.remember(fits, 3, s.tf, clock);
  }
  ASSERT_TRUE(sel.ready());
  const auto w = sel.mix_weights(1, 0.5, usable);
  EXPECT_EQ(w[1], 1);
  EXPECT_NEAR(w[0], std::exp(-0.5 * 3), 1e-5);       // score 4× the best's
  EXPECT_EQ(w[2], 0);                                // not usable, however good
  EXPECT_EQ(sel.mix_weights(2, 0.5, usable)[2], 1);  // an unusable best is used alone
  EXPECT_EQ(sel.mix_weights(2, 0.5, usable)[1], 0);
}

// Mixed candidates: weighted means of θ̂ and slope; the 1σ as for nested means,
// Σᵢⱼ aᵢaⱼ min(σᵢ², σⱼ²); a weight on one candidate alone gives it back unchanged.
TEST(OffsetFit, MixedCandidatesAverageLinesAndCountTheirCovariance) {
  std::array<LineFit, kMaxFitWindows> fits{};
  for (std::size_t k = 0; k < 3; ++k) {
    fits[k].valid = true;
    fits[k].theta = 1.0L + static_cast<long double>(k) * 10e-6L;
    fits[k].slope = 1e-6 * static_cast<double>(k);
    fits[k].published_esterror = 4e-6 / static_cast<double>(k + 1);  // longer windows: smaller σ
    fits[k].slope_esterror = 1e-7;
    fits[k].esterror = 9e-6;
    fits[k].stamps = static_cast<uint32_t>(8 << k);
  }
  fits[1].esterror = 5e-6;
  const std::array<double, kMaxFitWindows> alone{0, 1, 0};
  const LineFit same = mix_fits(fits, 3, alone, 1);
  EXPECT_EQ(same.theta, fits[1].theta);
  EXPECT_EQ(same.slope, fits[1].slope);
  EXPECT_DOUBLE_EQ(same.published_esterror, fits[1].published_esterror);

  const std::array<double, kMaxFitWindows> w{1, 2, 1};  // a = ¼, ½, ¼
  const LineFit m = mix_fits(fits, 3, w, 1);
  EXPECT_NEAR(static_cast<double>(m.theta - 1.0L), 10e-6, 1e-12);
  EXPECT_NEAR(m.slope, 1e-6, 1e-15);
  const double s0 = 16e-12, s1 = 4e-12, s2 = 16e-12 / 9;
  const double a0 = 0.25, a1 = 0.5, a2 = 0.25;
  const double var =
      a0 * a0 * s0 + a1 * a1 * s1 + a2 * a2 * s2 + 2 * a0 * a1 * s1 + 2 * a0 * a2 * s2 + 2 * a1 * a2 * s2;
  EXPECT_NEAR(m.published_esterror, std::sqrt(var), 1e-12);
  EXPECT_LT(m.published_esterror, fits[0].published_esterror);
  EXPECT_GT(m.published_esterror, fits[2].published_esterror);
  EXPECT_EQ(m.esterror, fits[1].esterror);  // the comparison figure stays the base's
  EXPECT_EQ(m.stamps, fits[1].stamps);
}

TEST(Windows, StampFloorsKeepRadclocksCountsUpTo64sAndAFewHoursAtLongPolls) {
  const EstimatorConfig config;
  // RADclock's 100-stamp floors at its usual polls.
  for (const int poll : {16, 64}) {
    const Windows w = make_windows(config, poll);
    EXPECT_EQ(w.shift, 100u) << poll;
    EXPECT_GE(w.warmup, 100u) << poll;
  }
  // At 1024 s they would span 28 h; capped to window_floor_span_s, never below the minimum.
  const Windows slow = make_windows(config, 1024);
  EXPECT_EQ(slow.shift, static_cast<uint64_t>(config.window_floor_min_stamps));
  EXPECT_EQ(slow.warmup, static_cast<uint64_t>(config.window_floor_min_stamps));
  const Windows mid = make_windows(config, 256);
  EXPECT_EQ(mid.shift, 25u);   // 6400 s / 256 s
  EXPECT_EQ(mid.warmup, 30u);  // RADclock's 1.5 local-period windows (5 · 1024 s / 256 s) rule
  EXPECT_GE(slow.capacity, static_cast<std::size_t>(config.fit_window_max));
}

TEST(RttFilter, TracksTheMinimumAndDetectsAnUpwardShiftAfterTheShiftWindow) {
  EstimatorConfig config;
  const Windows win = make_windows(config, 16);
  History<Stamp> h(win.capacity);
  RttFilter f;
  const uint64_t threshold = 150'000;  // 150 µs in counts
  uint64_t shifted_at = 0;
  uint64_t min_rtt = 0;
  for (uint64_t i = 0; i < 600; ++i) {
    // 200 µs RTT, plus 1 ms from stamp 300 on.
    const double extra = i >= 300 ? 500 * kUs : 0;
    Stamp s = stamp_at(100 + static_cast<double>(i) * 16, 100 * kUs + extra, 100 * kUs + extra);
    if (i == 5) s = stamp_at(100 + static_cast<double>(i) * 16, 90 * kUs, 100 * kUs);  // the minimum
    h.push(s);
    if (i == 0) f.start(h.at(0), 0);
    const auto up = f.add(h, i, win, true, RttFilter::ShiftTest{threshold, 0, 0});
    if (i < 300) {
      EXPECT_EQ(h.at(i).rtt_hat, f.rtt_hat());
    }
    if (i == 5) min_rtt = s.rtt;
    if (i == 6) {
      EXPECT_EQ(f.rtt_hat(), min_rtt);
    }
    if (up.shifted_up && shifted_at == 0) shifted_at = i;
  }
  // Detected once the whole shift window lies above the old minimum + threshold.
  EXPECT_EQ(shifted_at, 300 + win.shift - 1);
  EXPECT_GT(f.rtt_hat(), min_rtt + threshold);
  EXPECT_EQ(h.at(599).rtt_hat, f.rtt_hat());  // recent stamps are judged at the new level
}

// The quick test proves a shift far beyond the usual queueing from a few stamps, rewrites RTT̂
// only over those (stamps before the shift keep theirs) and says where the shift began; a
// rise below its threshold waits for the whole shift window.
TEST(RttFilter, ProvesAFarShiftFromTheQuickWindow) {
  EstimatorConfig config;
  const Windows win = make_windows(config, 16);
  for (const double extra_us : {500.0, 100.0}) {  // each way
    History<Stamp> h(win.capacity);
    RttFilter f;
    const RttFilter::ShiftTest test{150'000, 16, 400'000};  // 150 µs; 16 stamps above 400 µs
    uint64_t shifted_at = 0;
    uint64_t after = 0;
    for (uint64_t i = 0; i < 600; ++i) {
      const double extra = i >= 300 ? extra_us * kUs : 0;
      h.push(stamp_at(100 + static_cast<double>(i) * 16, 100 * kUs + extra, 100 * kUs + extra));
      if (i == 0) f.start(h.at(0), 0);
      const auto up = f.add(h, i, win, true, test);
      if (up.shifted_up && shifted_at == 0) {
        shifted_at = i;
        after = up.after_shift;
      }
    }
    if (extra_us > 400) {
      EXPECT_EQ(shifted_at, 300u + 16 - 1);  // 1 ms of RTT: 16 stamps prove it
      EXPECT_EQ(after, 300u);
      EXPECT_GT(h.at(300).rtt_hat, h.at(299).rtt_hat + 900'000);  // rewritten from the shift on only
    } else {
      EXPECT_EQ(shifted_at, 300 + win.shift - 1);  // 200 µs of RTT: the shift window's test
    }
  }
}

// The gap between the two lowest RTTs is the scale of RTT̂'s own error above the path's
// minimum (the innovations widen each stamp's spread by it).
TEST(RttFilter, TheGapBetweenTheTwoLowestRttsScalesTheMinimumsOwnError) {
  EstimatorConfig config;
  const Windows win = make_windows(config, 16);
  History<Stamp> h(win.capacity);
  RttFilter f;
  // RTTs above the path's minimum: 40, 25, 31, 12, 20 µs; the two lowest are 12 and 20.
  const std::array<double, 5> excess{40, 25, 31, 12, 20};
  for (uint64_t i = 0; i < excess.size(); ++i) {
    const double each_way = 100 * kUs + excess[i] * kUs / 2;
    h.push(stamp_at(100 + static_cast<double>(i) * 16, each_way, each_way));
    if (i == 0) {
      f.start(h.at(0), 0);
      EXPECT_EQ(f.rtt_gap(), 0u);  // one RTT: no gap yet
    }
    f.add(h, i, win, false, RttFilter::ShiftTest{UINT64_MAX / 2, 0, 0});
  }
  EXPECT_EQ(f.rtt_hat(), h.at(3).rtt);
  EXPECT_EQ(f.rtt_gap(), h.at(4).rtt - h.at(3).rtt);
  EXPECT_NEAR(static_cast<double>(f.rtt_gap()) * 1e-9, 8 * kUs, 0.01 * kUs);
}

TEST(PeriodPair, RecoversTheCounterPeriodWithAnHonestBound) {
  const UncorrectedClock clock = nominal_clock();
  Stamp a = stamp_at(100, 100 * kUs, 100 * kUs);
  Stamp b = stamp_at(3700, 130 * kUs, 100 * kUs);  // 30 µs of queueing on the way out
  a.rtt_hat = b.rtt_hat = a.rtt;
  const PeriodPair p = period_between(a, b, clock, 0);
  ASSERT_TRUE(p.valid);
  const double rel = static_cast<double>(p.period / kTrueTick - 1);
  EXPECT_LE(std::fabs(rel), p.maxerror_rel);
  EXPECT_NEAR(p.maxerror_rel, (100e-6 + 115e-6) / 3600, 1e-9);  // half (RTT − hold) of each
  EXPECT_GT(std::fabs(rel), 0);                                 // the asymmetric queueing does bias it
  EXPECT_FALSE(period_between(b, a, clock, 0).valid);           // order matters
}

TEST(OffsetBound, CoversTheTruthAndIsHalfTheBestRoundTripOnAPerfectLine) {
  uint64_t rtt_hat = 0;
  History<Stamp> h = symmetric_history(32, 16, rtt_hat);
  const UncorrectedClock clock = nominal_clock();
  const long double theta = clock.naive_offset(h.back());  // the true offset (symmetric path)
  const long double local = clock.period() * (1 + 2e-6L);  // the true local period
  const long double b = offset_maxerror(h, OffsetWindow{0, h.end() - 1}, clock, theta, local, 0.5e-6);
  // The newest stamp wins: (RTT − hold)/2 = 100 µs, at its RTT scaled by (1 + bound).
  EXPECT_NEAR(static_cast<double>(b), 100e-6, 0.1e-6);
  // A line 30 µs off: the bound grows by at most that and still covers the truth.
  const long double off =
      offset_maxerror(h, OffsetWindow{0, h.end() - 1}, clock, theta + 30e-6L, local, 0.5e-6);
  EXPECT_GE(static_cast<double>(off), 30e-6);
  EXPECT_NEAR(static_cast<double>(off - b), 30e-6, 0.1e-6);
}

// Stamps whose queues fell on different sides bound the offset more tightly together than
// either does alone: the bound is their hard intervals' intersection.
TEST(OffsetBound, IsTheIntersectionOfTheStampsHardIntervals) {
  History<Stamp> h(8);
  h.push(stamp_at(100, 100 * kUs, 150 * kUs));  // queued back: θ_j = θ + 25 µs, ±125 µs
  h.push(stamp_at(116, 150 * kUs, 100 * kUs));  // queued out:  θ_j = θ − 25 µs, ±125 µs
  const UncorrectedClock clock = nominal_clock();
  const long double theta = clock.naive_offset(stamp_at(116, 100 * kUs, 100 * kUs));  // the truth
  const long double local = clock.period() * (1 + 2e-6L);
  const double rate_bound = 1e-9;  // 16 ns of aging for the older stamp
  const long double both = offset_maxerror(h, OffsetWindow{0, 1}, clock, theta, local, rate_bound);
  const long double newest = offset_maxerror(h, OffsetWindow{1, 1}, clock, theta, local, rate_bound);
  // Alone, the newest stamp bounds the truth within 25 + 125 µs of it; with the other one,
  // the truth lies in [θ − 100, θ + 100] µs.
  EXPECT_NEAR(static_cast<double>(newest), 150e-6, 0.1e-6);
  EXPECT_NEAR(static_cast<double>(both), 100e-6, 0.1e-6);
  // Hard intervals that do not meet (a server step between the stamps) give the best single
  // stamp's bound.
  h.at(0).set_server_times(h.at(0).tb + 1e-3L, h.at(0).te + 1e-3L);
  const long double split = offset_maxerror(h, OffsetWindow{0, 1}, clock, theta, local, rate_bound);
  EXPECT_NEAR(static_cast<double>(split), 150e-6, 0.1e-6);
}

}  // namespace
}  // namespace ffclock::core::estimator
