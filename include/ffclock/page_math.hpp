// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The page's integer formulas, shared by the writer (core) and every reader so that both
// compute bit-identical values: absolute time, the clamped monotonic clock, the difference
// clock and the error-bound growth. Safe for any bit pattern (a torn read inside the seqlock
// loop must not trap): shifts are range-checked, nothing divides.

#include <bit>
#include <cstdint>

#include "ffclock/time.hpp"

namespace ffclock::page_math {

// (ticks * frac) >> shift in 2^-64 s; exact for any 64-bit ticks and frac.
constexpr uint128 scale(uint64_t ticks, uint64_t frac, uint8_t shift) {
  return shift >= 128 ? uint128{0} : (uint128{ticks} * frac) >> shift;
}

// a + b with two's-complement wrap-around (no signed-overflow UB on garbage input).
constexpr int128 wrap_add(int128 a, int128 b) {
  return static_cast<int128>(static_cast<uint128>(a) + static_cast<uint128>(b));
}

// Signed counter difference scaled, symmetric around zero (as CounterPeriod::ticks_to_duration).
constexpr int128 scale_signed(uint64_t c, uint64_t anchor, uint64_t frac, uint8_t shift) {
  const uint64_t d = c - anchor;
  if (static_cast<int64_t>(d) >= 0) return static_cast<int128>(scale(d, frac, shift));
  return static_cast<int128>(uint128{0} - scale(anchor - c, frac, shift));
}

// A 64.64 value from the page's split seconds and fraction (seconds are signed).
constexpr int128 join(uint64_t sec, uint64_t frac) {
  return static_cast<int128>((static_cast<uint128>(static_cast<int128>(static_cast<int64_t>(sec))) << 64) |
                             uint128{frac});
}
struct Split {
  uint64_t sec;
  uint64_t frac;
};
// The same as join() from the two words in memory order (the page is little-endian,
// page.h): GCC keeps this in two registers, where join()'s OR can become vector code.
inline int128 join_words(Split v) {
  struct Words {
    uint64_t lo, hi;
  };
  return std::bit_cast<int128>(Words{v.frac, v.sec});
}
constexpr Split split(int128 v) {
  return {static_cast<uint64_t>(static_cast<int64_t>(v >> 64)),
          static_cast<uint64_t>(static_cast<uint128>(v))};
}

// vmclock absolute time at counter c: T1 + (c - C1) * P. A counter behind the anchor
// extrapolates backwards (the Linux driver would wrap; ffclock's writer anchors at the
// publication so readers are normally ahead of it).
constexpr int128 time_at(uint64_t c, uint64_t anchor, uint64_t period_frac, uint8_t shift, uint64_t sec,
                         uint64_t frac) {
  return wrap_add(join(sec, frac), scale_signed(c, anchor, period_frac, shift));
}

// The monotonic clock: base + (c - anchor) * P_mono, with a counter behind the anchor clamped
// to the anchor so that cross-CPU counter skew can never make it go back.
constexpr int128 monotonic_at(uint64_t c, uint64_t anchor, uint64_t period_frac, uint8_t shift, uint64_t sec,
                              uint64_t frac) {
  const uint64_t d = c - anchor;
  const uint64_t ahead = static_cast<int64_t>(d) < 0 ? 0 : d;
  return wrap_add(join(sec, frac), static_cast<int128>(scale(ahead, period_frac, shift)));
}

// Nanoseconds to 2^-64 s, rounded up (a bound must not shrink) with one multiplication:
// ns * ceil(2^64 / 1e9), which overshoots by less than 0.3 * 2^-64 s per nanosecond (a
// relative 1.6e-11) and stays below 2^99.
inline constexpr uint64_t kFixedPerNanoCeil = static_cast<uint64_t>((uint128{1} << 64) / 1'000'000'000u + 1);
constexpr uint128 nanos_to_fixed_ceil(uint64_t ns) { return uint128{ns} * kFixedPerNanoCeil; }

// Error bound at counter c: time_maxerror + |c - anchor| * period_maxerror_rate, in 2^-64 s.
constexpr int128 maxerror_at(uint64_t c, uint64_t anchor, uint64_t maxerror_ns, uint64_t rate_frac,
                             uint8_t shift) {
  const uint64_t d = c - anchor;
  const uint64_t age = static_cast<int64_t>(d) < 0 ? anchor - c : d;
  const uint128 sum = nanos_to_fixed_ceil(maxerror_ns) + scale(age, rate_frac, shift);
  // A bound beyond 2^62 s is meaningless; saturating keeps it positive for any input.
  return sum >> 126 ? int128{1} << 126 : static_cast<int128>(sum);
}

// POSIX time of 00:00:00 UTC on the first day of the month holding POSIX second `t`
// (proleptic Gregorian; vmclock's PRE_POS/PRE_NEG mean "at the end of this month").
// |t| must stay below 2^55 s; callers range-check page values first.
constexpr int64_t utc_month_start(int64_t t) {
  const int64_t days = (t >= 0 ? t : t - 86'399) / 86'400;  // floor
  // Civil date from a day count (era-based: 400-year eras of 146097 days, March-based years).
  const int64_t z = days + 719'468;
  const int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const int64_t doe = z - era * 146'097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day_of_month = doy - (153 * mp + 2) / 5;  // 0-based
  return (days - day_of_month) * 86'400;
}

// The same, saturating at 2^32 s (the reader's kUnbounded): one test of the high word.
constexpr int128 error_bound_at(uint64_t c, uint64_t anchor, uint64_t error_ns, uint64_t rate_frac,
                                uint8_t shift) {
  const uint64_t d = c - anchor;
  const uint64_t age = static_cast<int64_t>(d) < 0 ? anchor - c : d;
  const uint128 sum = nanos_to_fixed_ceil(error_ns) + scale(age, rate_frac, shift);
  return sum >> 96 ? int128{1} << 96 : static_cast<int128>(sum);
}

// The estimated error (1σ) at counter c: the anchor's and the rate's, independent, combined
// as √(error² + (|c − anchor| · rate)²), in 2^-64 s, saturating at 2^32 s. In double: a 1σ
// is a statistical figure, and 53 bits are far more than it has.
// In two halves, so that a reader can take the square root after its seqlock re-check: the
// square (s²) from the page's fields, with 64-bit conversions only (a 128-bit one is a library
// call), and the 1σ from it.
inline double estimate_squared_at(uint64_t c, uint64_t anchor, uint64_t error_ns, uint64_t rate_frac,
                                  uint8_t shift) {
  const uint64_t d = c - anchor;
  const uint64_t age = static_cast<int64_t>(d) < 0 ? anchor - c : d;
  const double e0 = static_cast<double>(error_ns) * 1e-9;
  // age · rate_frac / 2^(shift + 64) s, 2^-shift built from its exponent bits (as scale(): 0
  // from a shift of 128 on).
  const double unscale =
      shift >= 128 ? 0.0 : std::bit_cast<double>(static_cast<uint64_t>(1023 - shift) << 52) * 0x1p-64;
  const double r = static_cast<double>(age) * static_cast<double>(rate_frac) * unscale;
  return e0 * e0 + r * r;
}
inline int128 estimate_from_squared(double squared) {
  const double e = __builtin_sqrt(squared);
  if (!(e < 0x1p32)) return int128{1} << 96;  // and NaN
  const auto sec = static_cast<uint64_t>(e);
  // Below 2^64: the largest double under 1 times 2^64 rounds to 2^64 itself.
  const double f = (e - static_cast<double>(sec)) * 0x1p64;
  const auto frac = static_cast<uint64_t>(f < 0x1.fffffffffffffp63 ? f : 0x1.fffffffffffffp63);
  return static_cast<int128>((uint128{sec} << 64) | frac);
}
inline int128 estimate_at(uint64_t c, uint64_t anchor, uint64_t error_ns, uint64_t rate_frac, uint8_t shift) {
  return estimate_from_squared(estimate_squared_at(c, anchor, error_ns, rate_frac, shift));
}

// (ticks * frac >> shift) + add, modulo 2^128, for a shift below 64 (only its low six bits
// count): the reader's inline path, where this sits between the counter read and the result.
// On x86-64 it is five instructions; GCC's 128-bit code sends the product through the stack.
inline Split mul_shift_add(uint64_t ticks, uint64_t frac, uint8_t shift, Split add) {
#if defined(__x86_64__)
  uint64_t lo = frac, hi;
  asm("mulq %[t]\n\t"
      "shrdq %%cl, %%rdx, %%rax\n\t"
      "shrq %%cl, %%rdx\n\t"
      "addq %[alo], %%rax\n\t"
      "adcq %[ahi], %%rdx"
      : "+&a"(lo), "=&d"(hi)
      : [t] "rm"(ticks), "c"(shift), [alo] "rm"(add.frac), [ahi] "rm"(add.sec)
      : "cc");
  return {hi, lo};
#else
  const uint128 v = ((uint128{ticks} * frac) >> (shift & 63u)) + ((uint128{add.sec} << 64) | add.frac);
  return {static_cast<uint64_t>(v >> 64), static_cast<uint64_t>(v)};
#endif
}

// error_bound_at() for a counter `ticks` at or after the anchor and a shift below 64, in
// words through mul_shift_add (the reader's inline path): the same value, saturated at 2^32 s.
inline Split error_bound_ahead(uint64_t ticks, uint64_t error_ns, uint64_t rate_frac, uint8_t shift) {
  const uint128 e0 = nanos_to_fixed_ceil(error_ns);
  const Split e =
      mul_shift_add(ticks, rate_frac, shift, {static_cast<uint64_t>(e0 >> 64), static_cast<uint64_t>(e0)});
  if (__builtin_expect((e.sec >> 32) != 0, 0)) return {uint64_t{1} << 32, 0};
  return e;
}

// True when counter c is strictly past a limit published as a counter value, judged by the
// signed distance from the anchor (robust to wrap-around).
constexpr bool past(uint64_t c, uint64_t anchor, uint64_t limit) {
  return static_cast<int64_t>(c - anchor) > static_cast<int64_t>(limit - anchor);
}

}  // namespace ffclock::page_math
