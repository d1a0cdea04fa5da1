// SPDX-License-Identifier: BSD-2-Clause
// The offset fit's copy of the stamps (FitPoints) and the two-lane pass over it: the copy
// keeps counter differences exact across the 64-bit wrap and across rebases, the pass agrees
// with sequential sums in long double, and the estimator keeps the copy in step through RTT̂
// rewrites, exclusions, poll changes and resets.
#include "core/estimator/fit_points.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/estimator/estimator.hpp"
#include "core/estimator/history.hpp"
#include "core/estimator/offset_fit.hpp"
#include "core/estimator/stamp.hpp"
#include "estimator_test_support.hpp"

namespace ffclock::core::estimator {
namespace {

// Stamp k of a path polled every `step` counts from counter c0 (wrapping freely).
Stamp stamp(uint64_t c0, uint64_t step, uint64_t k, uint64_t rtt, uint64_t rtt_hat) {
  Stamp s;
  s.ta = c0 + k * step;
  s.tf = s.ta + rtt;
  const long double t = static_cast<long double>(k) * 16;
  s.set_server_times(t + 50e-6L, t + 55e-6L);
  s.rtt = rtt;
  s.rtt_hat = rtt_hat;
  s.weight = 1e9 + static_cast<double>(k);
  return s;
}

// Every held entry, against the newest: the copy's counter differences are the exact integer
// differences, and the other values are the stamp's.
void expect_exact(const History<Stamp>& h, const FitPoints& p) {
  ASSERT_TRUE(p.mirrors(h));
  const uint64_t last = h.end() - 1;
  const std::size_t newest = p.position(last);
  for (uint64_t j = h.begin(); j <= last; ++j) {
    const std::size_t at = newest - static_cast<std::size_t>(last - j);
    EXPECT_EQ(p.ta()[at] - p.ta()[newest],
              static_cast<double>(static_cast<int64_t>(h.at(j).ta - h.at(last).ta)))
        << j;
    EXPECT_EQ(p.tf()[at] - p.tf()[newest],
              static_cast<double>(static_cast<int64_t>(h.at(j).tf - h.at(last).tf)))
        << j;
    EXPECT_EQ(p.mid_hi()[at], h.at(j).mid_hi) << j;
    EXPECT_EQ(p.weight()[at], h.at(j).excluded ? 0.0 : h.at(j).weight) << j;
    EXPECT_EQ(p.excess()[at], static_cast<double>(h.at(j).rtt - h.at(j).rtt_hat)) << j;
  }
}

TEST(FitPoints, HoldsTheNewestCapacityEntriesContiguouslyAcrossTheCounterWrap) {
  History<Stamp> h(10);
  FitPoints p;
  p.resize(10);
  const uint64_t c0 = UINT64_MAX - 40'000'000'000ULL;  // wraps after about 2.5 stamps
  for (uint64_t k = 0; k < 25; ++k) {
    h.push(stamp(c0, 16'000'000'000ULL, k, 200'000 + k, 200'000));
    if (k == 20) h.at(k).excluded = true;
    p.sync(h, k, k);
    expect_exact(h, p);
  }
  // A rewrite not synced is seen; synced, it is in.
  h.at(22).weight = 5;
  EXPECT_FALSE(p.mirrors(h));
  p.sync(h, 22, 24);
  EXPECT_TRUE(p.mirrors(h));
}

TEST(FitPoints, RebasesWhenCountersRunFarAndStaysExact) {
  History<Stamp> h(4);
  FitPoints p;
  p.resize(4);
  // 2⁵⁰ counts per stamp: the base falls 2⁵² behind every few stamps.
  const uint64_t step = uint64_t{1} << 50;
  for (uint64_t k = 0; k < 40; ++k) {
    h.push(stamp(12345, step, k, 1000, 900));
    p.sync(h, k, k);
    expect_exact(h, p);
  }
  // Copies of the whole history after a capacity change are exact too.
  h.resize(3);
  p.resize(3);
  p.sync_all(h);
  expect_exact(h, p);
}

// The pass against sequential sums in long double, on a window walk that wraps the ring,
// with odd window lengths, stamps without weight, excluded ones and varied excesses.
TEST(OffsetFit, PairedPassAgreesWithSequentialLongDoubleSums) {
  ffclock::test::Lcg rng(7);
  History<Stamp> h(300);
  for (uint64_t k = 0; k < 410; ++k) {
    const auto jitter = static_cast<uint64_t>(rng.exponential(20'000));
    Stamp s = stamp(5'000'000'000ULL, 16'000'000'321ULL, k, 200'000 + jitter, 200'000);
    s.set_server_times(static_cast<long double>(k) * 16.000'002L + rng.normal() * 1e-5L,
                       static_cast<long double>(k) * 16.000'002L + 5e-6L + rng.normal() * 1e-5L);
    s.weight = rng.uniform() < 0.15 ? 0.0 : 1e10 * rng.uniform();
    s.excluded = rng.uniform() < 0.05;
    h.push(s);
  }
  const FitPoints p(h);
  const UncorrectedClock clock(5'000'000'000ULL, 1e-9L * (1 + 3e-6L));
  const FitWindows w = make_fit_windows(3, 256);
  const uint64_t last = h.end() - 1;
  for (const double prior_sigma : {0.0, 1e-7}) {
    std::array<LineFit, kMaxFitWindows> fits{};
    fit_windows(h, p, 0, last, clock, 2e-7, prior_sigma, 15e-6, w, false, fits);
    const long double prec = prior_sigma > 0 ? 1 / (static_cast<long double>(prior_sigma) * prior_sigma) : 0;
    const Stamp& n = h.at(last);
    const auto phat = static_cast<long double>(static_cast<double>(clock.period()));
    for (std::size_t k = 0; k < w.count; ++k) {
      long double sw = 0, sx = 0, sxx = 0, sy = 0, sxy = 0, min_e = INFINITY;
      for (uint64_t j = last + 1 - w.length[k]; j <= last; ++j) {
        const Stamp& s = h.at(j);
        const long double wt = s.excluded ? 0 : s.weight;
        const long double dtf = static_cast<long double>(static_cast<int64_t>(s.tf - n.tf));
        const long double dta = static_cast<long double>(static_cast<int64_t>(s.ta - n.ta));
        const long double x = phat * dtf;
        const long double y = phat / 2 * (dta + dtf) - (((s.tb + s.te) - (n.tb + n.te)) / 2);
        sw += wt, sx += wt * x, sxx += wt * x * x, sy += wt * y, sxy += wt * x * y;
        if (wt > 0) min_e = std::min(min_e, phat * static_cast<long double>(s.rtt - s.rtt_hat));
      }
      const long double xm = sx / sw, ym = sy / sw;
      // A few short windows have too few weighted stamps for a slope: theirs is the prior.
      ASSERT_TRUE(fits[k].valid) << k;
      ASSERT_TRUE(fits[k].fitted_slope || w.length[k] < 16) << k;
      const long double slope =
          fits[k].fitted_slope ? (sxy - sx * ym + prec * 2e-7L) / (sxx - sx * xm + prec) : 2e-7L;
      EXPECT_EQ(fits[k].stamps, w.length[k]);
      EXPECT_NEAR(fits[k].slope, static_cast<double>(slope), 1e-12) << k;
      EXPECT_NEAR(static_cast<double>(fits[k].theta - (clock.naive_offset(n) + ym - slope * xm)), 0, 1e-12)
          << k;
      EXPECT_NEAR(fits[k].x_mean, static_cast<double>(xm), 1e-9) << k;
      EXPECT_EQ(fits[k].min_error, static_cast<double>(min_e)) << k;
    }
  }
}

}  // namespace
}  // namespace ffclock::core::estimator

namespace ffclock::test {
namespace {

// Through an upward level shift (RTT̂ and weights rewritten back over the shift window), a
// server step (stamps excluded), a poll change (history resized) and a reset, the copy is in
// step after every exchange; each event is shown to have happened.
TEST(EstimatorFitPoints, StayInStepThroughShiftsStepsPollChangesAndResets) {
  core::Estimator est{core::EstimatorConfig{}};
  Path path;
  int64_t k = 0;
  auto run = [&](int64_t n) {
    for (const int64_t end = k + n; k < end; ++k) {
      est.add(path.exchange(k));
      ASSERT_TRUE(est.fit_points_in_step()) << "exchange " << k;
    }
  };
  run(400);
  path.up = path.up + Duration::milliseconds(2);  // upward level shift, one way
  run(200);
  EXPECT_GT(est.diagnostics().level_shifts_up, 0u);
  path.server_error = Duration::milliseconds(50);  // the server steps
  run(20);
  EXPECT_GT(est.diagnostics().offset_sanity_rejects, 0u);
  path.server_error = Duration::zero();
  run(20);
  est.set_poll(64);
  path.poll_s = 64;
  run(100);
  est.reset();
  run(100);
}

}  // namespace
}  // namespace ffclock::test
