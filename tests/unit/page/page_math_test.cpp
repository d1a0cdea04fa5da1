// SPDX-License-Identifier: BSD-2-Clause
// Golden tests of the page's integer conversions against an independent computation
// (schoolbook 32-bit limbs, no __int128 multiply) and against known vmclock figures.
#include "ffclock/page_math.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <random>

#include "ffclock/page.h"
#include "ffclock/period.hpp"

using namespace ffclock;

namespace {

// (a * b) >> shift for 64-bit a, b, computed with 32-bit limbs into a 128-bit result
// assembled from two uint64_t halves: an implementation that shares nothing with page_math.
struct U128 {
  uint64_t hi, lo;
};
U128 mul_shift_limbs(uint64_t a, uint64_t b, unsigned shift) {
  const uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
  std::array<uint64_t, 4> limb{};  // 32-bit limbs of the 128-bit product, little end first
  auto add_at = [&](unsigned i, uint64_t v) {
    while (v != 0 && i < 4) {
      const uint64_t s = limb[i] + (v & 0xffffffffu);
      limb[i] = s & 0xffffffffu;
      v = (v >> 32) + (s >> 32);
      ++i;
    }
  };
  add_at(0, a0 * b0);
  add_at(1, a0 * b1);
  add_at(1, a1 * b0);
  add_at(2, a1 * b1);
  uint64_t lo = limb[0] | (limb[1] << 32), hi = limb[2] | (limb[3] << 32);
  for (unsigned i = 0; i < shift; ++i) {  // one bit at a time: slow and obviously right
    lo = (lo >> 1) | (hi << 63);
    hi >>= 1;
  }
  return {hi, lo};
}

TEST(PageMath, ScaleMatchesLimbComputation) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t ticks = rng() >> (rng() % 64);
    const uint64_t frac = rng() | (uint64_t{1} << 63);
    const unsigned shift = static_cast<unsigned>(rng() % 64);
    const uint128 got = page_math::scale(ticks, frac, static_cast<uint8_t>(shift));
    const U128 want = mul_shift_limbs(ticks, frac, shift);
    ASSERT_EQ(static_cast<uint64_t>(got >> 64), want.hi) << i;
    ASSERT_EQ(static_cast<uint64_t>(got), want.lo) << i;
  }
}

// The reader's inline form (inline asm on x86-64): the same product and shift, plus a
// 128-bit addend with the carry, and join_words() gives join()'s value.
TEST(PageMath, MulShiftAddMatchesLimbComputation) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t ticks = rng() >> (rng() % 64);
    const uint64_t frac = rng() >> (rng() % 8);
    const auto shift = static_cast<uint8_t>(rng() % 64);
    const page_math::Split add{rng(), i % 3 == 0 ? ~uint64_t{0} - (rng() % 4) : rng()};  // carries too
    const page_math::Split got = page_math::mul_shift_add(ticks, frac, shift, add);
    const U128 p = mul_shift_limbs(ticks, frac, shift);
    const uint64_t lo = p.lo + add.frac;
    const uint64_t hi = p.hi + add.sec + (lo < p.lo ? 1 : 0);
    ASSERT_EQ(got.frac, lo) << i;
    ASSERT_EQ(got.sec, hi) << i;
    ASSERT_EQ(page_math::join_words(got), page_math::join(got.sec, got.frac)) << i;
  }
}

// The inline path's bound equals error_bound_at() ahead of the anchor, saturation included.
TEST(PageMath, ErrorBoundAheadMatchesErrorBoundAt) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t anchor = rng();
    const uint64_t ticks = rng() >> (1 + rng() % 63);  // at or after the anchor
    const uint64_t error_ns = rng() >> (rng() % 64);
    const uint64_t rate = rng() >> (rng() % 64);
    const auto shift = static_cast<uint8_t>(rng() % 64);
    const int128 want = page_math::error_bound_at(anchor + ticks, anchor, error_ns, rate, shift);
    ASSERT_EQ(page_math::join_words(page_math::error_bound_ahead(ticks, error_ns, rate, shift)), want) << i;
  }
}

// The 1σ combines the anchor's and the rate's parts as independent errors, in double: within
// a relative 1e-12 of the exact root for any page values (the bound's exact sum is its
// reference), and the same saturation at 2^32 s.
TEST(PageMath, EstimateIsTheRootOfTheSquares) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t anchor = rng();
    const uint64_t ticks = rng() >> (1 + rng() % 63);
    const uint64_t error_ns = rng() >> (rng() % 64);
    const uint64_t rate = rng() >> (rng() % 64);
    const auto shift = static_cast<uint8_t>(rng() % 130);
    const auto c = i % 2 ? anchor + ticks : anchor - ticks;  // either side of the anchor
    const long double e0 = static_cast<long double>(error_ns) * 1e-9L;
    const long double r = static_cast<long double>(page_math::scale(ticks, rate, shift)) * 0x1p-64L;
    const long double want = std::sqrt(e0 * e0 + r * r);
    const long double got =
        static_cast<long double>(page_math::estimate_at(c, anchor, error_ns, rate, shift)) * 0x1p-64L;
    if (want >= 0x1p32L) {
      ASSERT_EQ(got, 0x1p32L) << i;
    } else {
      ASSERT_NEAR(got, want, want * 1e-12L + 0x1p-60L) << i;
    }
  }
}

TEST(PageMath, OneGigahertzFigures) {
  // vmclock's 1 GHz period: 0x89705F4136B4A597 * 2^-(64+29) s per tick.
  const CounterPeriod p{0x89705F4136B4A597ull, 29};
  EXPECT_EQ(CounterPeriod::from_seconds(1e-9L), p);
  for (uint64_t ticks :
       {uint64_t{1'000'000'000}, uint64_t{3'600'000'000'000}, uint64_t{86'400'000'000'000'000}}) {
    const int128 t = page_math::time_at(ticks, 0, p.frac, p.shift, 0, 0);
    const int64_t want_ns = static_cast<int64_t>(ticks);
    EXPECT_NEAR(static_cast<double>(Duration::from_fixed(t).to_nanoseconds() - want_ns), 0.0, 1.0) << ticks;
  }
}

TEST(PageMath, TimeAtFollowsLinuxDriverFormula) {
  // Linux: d = C - C1; r = (d*P >> shift) + frac; sec = T1 + (r >> 64); nsec = (u64)r * 1e9 >> 64.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 5000; ++i) {
    const uint64_t anchor = rng(), d = rng() >> 20, frac_p = rng() | (uint64_t{1} << 63);
    const uint8_t shift = static_cast<uint8_t>(26 + rng() % 8);
    const uint64_t sec = 1'700'000'000 + rng() % 100'000'000, tfrac = rng();
    const U128 prod = mul_shift_limbs(d, frac_p, shift);
    // r = prod + tfrac (128-bit add with carry, limb style)
    const uint64_t r_lo = prod.lo + tfrac;
    const uint64_t r_hi = prod.hi + (r_lo < prod.lo ? 1 : 0);
    const uint64_t want_sec = sec + r_hi;
    const int128 t = page_math::time_at(anchor + d, anchor, frac_p, shift, sec, tfrac);
    ASSERT_EQ(static_cast<uint64_t>(t >> 64), want_sec);
    ASSERT_EQ(static_cast<uint64_t>(t), r_lo);
  }
}

TEST(PageMath, CounterBehindAnchor) {
  const CounterPeriod p{0x89705F4136B4A597ull, 29};
  // Absolute time extrapolates backwards; monotonic clamps to the anchor.
  const int128 t = page_math::time_at(900, 1000, p.frac, p.shift, 10, 0);
  EXPECT_NEAR(static_cast<double>(Duration::from_fixed(t - (int128{10} << 64)).to_nanoseconds()), -100.0,
              1.0);
  EXPECT_EQ(page_math::monotonic_at(900, 1000, p.frac, p.shift, 10, 5), page_math::join(10, 5));
  EXPECT_GT(page_math::monotonic_at(1100, 1000, p.frac, p.shift, 10, 5), page_math::join(10, 5));
}

TEST(PageMath, TornShiftDoesNotTrap) {
  EXPECT_EQ(page_math::scale(~0ull, ~0ull, 200), uint128{0});
  EXPECT_EQ(page_math::scale(~0ull, ~0ull, 127), uint128{1});
}

TEST(PageMath, MaxerrorGrowsAtRate) {
  const CounterPeriod p{0x89705F4136B4A597ull, 29};
  // 1 ppm maximum period error in period units; 1000 ns at the anchor.
  const uint64_t rate = p.frac / 1'000'000;
  const int128 at0 = page_math::maxerror_at(5000, 5000, 1000, rate, p.shift);
  EXPECT_GE(Duration::from_fixed(at0), Duration::nanoseconds(1000));
  EXPECT_LE(Duration::from_fixed(at0), Duration::nanoseconds(1001));
  // 100 s later (1e11 ticks) and 100 s earlier: + 100 us.
  for (uint64_t c : {uint64_t{5000} + 100'000'000'000, uint64_t{5000} - 100'000'000'000}) {
    const double ns = static_cast<double>(
        Duration::from_fixed(page_math::maxerror_at(c, 5000, 1000, rate, p.shift)).to_nanoseconds());
    EXPECT_NEAR(ns, 101'000.0, 2.0);
  }
  // Nanosecond conversion rounds up, by less than 0.3 units of 2^-64 s per nanosecond.
  for (uint64_t ns : {uint64_t{0}, uint64_t{1}, uint64_t{999'999'999}, uint64_t{1} << 40}) {
    const uint128 exact_floor = (uint128{ns} << 64) / 1'000'000'000u;
    const uint128 got = page_math::nanos_to_fixed_ceil(ns);
    EXPECT_GE(got, exact_floor);
    EXPECT_LE(got, exact_floor + ns / 3 + 1);  // ceil(2^64/1e9) - 2^64/1e9 = 0.29
  }
}

TEST(PageMath, PastUsesSignedDistance) {
  EXPECT_FALSE(page_math::past(100, 100, 200));
  EXPECT_FALSE(page_math::past(200, 100, 200));
  EXPECT_TRUE(page_math::past(201, 100, 200));
  EXPECT_FALSE(page_math::past(50, 100, 200));  // behind the anchor is not past
  // across wrap-around
  EXPECT_TRUE(page_math::past(5, ~uint64_t{0} - 10, 2));
}

TEST(PageLayout, LittleEndianBytes) {
  ffclock_page page{};
  page.vmclock.magic = FFCLOCK_VMCLOCK_MAGIC;
  page.ext.magic = FFCLOCK_EXT_MAGIC;
  page.vmclock.counter_value = 0x0102030405060708ull;
  unsigned char bytes[sizeof page];
  std::memcpy(bytes, &page, sizeof page);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(bytes), 4), "VCLK");
  EXPECT_EQ(std::string(reinterpret_cast<char*>(bytes + 112), 4), "FFCX");
  EXPECT_EQ(bytes[40], 0x08);
  EXPECT_EQ(bytes[47], 0x01);
}

}  // namespace
