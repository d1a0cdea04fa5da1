// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Time value types shared by every layer and by the header-only reader.
//
// Absolute time is never a double: a Time is a 64.64 fixed-point count of seconds since
// 1970-01-01T00:00:00 of its timescale (UTC in the POSIX sense, or TAI), held in a signed
// 128-bit integer so that 1900 and 2106 are both in range and NTP eras can be resolved.
// A Duration is the same fixed-point unit, signed. Both are small constexpr value types in
// the spirit of absl::Time / absl::Duration.

#include <compare>
#include <cstdint>

namespace ffclock {

using int128 = __int128;
using uint128 = unsigned __int128;

// One second in the 64.64 fixed-point unit (2^-64 s).
inline constexpr int128 kFixedOneSecond = int128{1} << 64;
inline constexpr int64_t kNanosPerSecond = 1'000'000'000;

namespace detail {
// floor(a / b) for b > 0.
constexpr int128 floor_div(int128 a, int128 b) {
  int128 q = a / b;
  if ((a % b != 0) && (a < 0)) --q;
  return q;
}
// Rounds x * 2^64 / 1e9 to nearest (x in nanoseconds, |x| < 2^63).
constexpr int128 nanos_to_fixed(int64_t ns) {
  const int128 scaled = int128{ns} * kFixedOneSecond;
  return floor_div(scaled + kNanosPerSecond / 2, kNanosPerSecond);
}
// Nanoseconds in a 64.64 value, rounded to nearest, saturating at the int64 limits (about
// 292 years either side); defined for every int128 input.
constexpr int64_t fixed_to_nanos(int128 v) {
  const int128 sec = v >> 64;  // arithmetic shift: floor; |sec| < 2^63, so sec * 1e9 fits
  const uint128 frac = static_cast<uint128>(v) & ((uint128{1} << 64) - 1);
  const uint128 frac_ns = (frac * kNanosPerSecond + (uint128{1} << 63)) >> 64;
  const int128 ns = sec * kNanosPerSecond + static_cast<int128>(frac_ns);
  constexpr int128 kMax = static_cast<int128>(static_cast<uint64_t>(-1) >> 1);
  return ns > kMax        ? static_cast<int64_t>(kMax)
         : ns < -kMax - 1 ? static_cast<int64_t>(-kMax - 1)
                          : static_cast<int64_t>(ns);
}
// trunc(s · 2^64) for |s| < 2^63, as static_cast<int128>(s * 2^64) gives it, from two exact
// 64-bit conversions: whole seconds, then the fraction (exact in the type, and exact once
// scaled by 2^64). The direct conversion is a libgcc call, a tenth of Estimator::add.
template <typename Float>
constexpr int128 seconds_to_fixed(Float s) {
  const Float a = s < 0 ? -s : s;
  const auto whole = static_cast<uint64_t>(a);
  const auto frac =
      static_cast<uint64_t>((a - static_cast<Float>(whole)) * static_cast<Float>(18446744073709551616.0L));
  const int128 v = static_cast<int128>((uint128{whole} << 64) | frac);
  return s < 0 ? -v : v;
}
}  // namespace detail

// A signed span of time in 2^-64 s units (range about +-2^63 s).
class Duration {
 public:
  constexpr Duration() = default;

  static constexpr Duration from_fixed(int128 v) { return Duration{v}; }
  static constexpr Duration seconds(int64_t s) { return Duration{int128{s} * kFixedOneSecond}; }
  static constexpr Duration milliseconds(int64_t ms) {
    return Duration{detail::floor_div(int128{ms} * kFixedOneSecond + 500, 1000)};
  }
  static constexpr Duration microseconds(int64_t us) {
    return Duration{detail::floor_div(int128{us} * kFixedOneSecond + 500'000, 1'000'000)};
  }
  static constexpr Duration nanoseconds(int64_t ns) { return Duration{detail::nanos_to_fixed(ns)}; }
  // Durations (not absolute times) may come from floating point: offsets, errors, RTTs.
  static constexpr Duration from_seconds(double s) { return Duration{detail::seconds_to_fixed(s)}; }
  static constexpr Duration from_seconds(long double s) { return Duration{detail::seconds_to_fixed(s)}; }
  static constexpr Duration zero() { return Duration{}; }

  constexpr int128 fixed() const { return v_; }
  constexpr int64_t to_nanoseconds() const { return detail::fixed_to_nanos(v_); }
  constexpr double to_seconds() const { return static_cast<double>(v_) / 18446744073709551616.0; }
  constexpr long double to_seconds_ld() const {
    return static_cast<long double>(v_) / 18446744073709551616.0L;
  }
  // Whole seconds, rounded toward negative infinity.
  constexpr int64_t floor_seconds() const { return static_cast<int64_t>(v_ >> 64); }

  constexpr Duration operator-() const { return Duration{-v_}; }
  constexpr Duration& operator+=(Duration d) {
    v_ += d.v_;
    return *this;
  }
  constexpr Duration& operator-=(Duration d) {
    v_ -= d.v_;
    return *this;
  }
  friend constexpr Duration operator+(Duration a, Duration b) { return Duration{a.v_ + b.v_}; }
  friend constexpr Duration operator-(Duration a, Duration b) { return Duration{a.v_ - b.v_}; }
  friend constexpr Duration operator*(Duration a, int64_t k) { return Duration{a.v_ * k}; }
  friend constexpr Duration operator*(int64_t k, Duration a) { return Duration{a.v_ * k}; }
  friend constexpr Duration operator/(Duration a, int64_t k) { return Duration{a.v_ / k}; }
  friend constexpr auto operator<=>(Duration a, Duration b) = default;
  friend constexpr bool operator==(Duration a, Duration b) = default;

 private:
  constexpr explicit Duration(int128 v) : v_(v) {}
  int128 v_ = 0;
};

constexpr Duration abs(Duration d) { return d < Duration{} ? -d : d; }

enum class Timescale : uint8_t { UTC = 0, TAI = 1 };

// An instant on one timescale: 64.64 fixed-point seconds since 1970-01-01T00:00:00 of that
// scale. UTC follows POSIX (no 23:59:60); TAI counts every SI second.
template <Timescale S>
class Time {
 public:
  static constexpr Timescale kScale = S;

  constexpr Time() = default;
  static constexpr Time from_fixed(int128 v) { return Time{v}; }
  static constexpr Time from_unix(int64_t sec, uint64_t frac = 0) {
    return Time{int128{sec} * kFixedOneSecond + int128{frac}};
  }
  static constexpr Time from_unix_nanos(int64_t ns) { return Time{detail::nanos_to_fixed(ns)}; }
  static constexpr Time epoch() { return Time{}; }

  constexpr int128 fixed() const { return v_; }
  // Whole seconds since the epoch, rounded toward negative infinity.
  constexpr int64_t unix_seconds() const { return static_cast<int64_t>(v_ >> 64); }
  // Fraction of the second in 2^-64 s, always in [0, 2^64).
  constexpr uint64_t fraction() const { return static_cast<uint64_t>(static_cast<uint128>(v_)); }
  // Nanoseconds since the epoch, rounded to nearest (1678..2262).
  constexpr int64_t unix_nanos() const { return detail::fixed_to_nanos(v_); }
  // Whole seconds and nanoseconds within the second, rounded to the nearest nanosecond with
  // the carry applied, so a value made from nanoseconds always splits back to them. Seconds
  // beyond int64 saturate (the nanoseconds then too).
  struct SecNanos {
    int64_t sec;
    uint32_t nsec;  // [0, 1e9)
  };
  constexpr SecNanos split_nanos() const {
    constexpr int64_t kMax = static_cast<int64_t>(static_cast<uint64_t>(-1) >> 1);
    const int128 whole = v_ >> 64;
    if (whole >= kMax) return {kMax, static_cast<uint32_t>(kNanosPerSecond - 1)};
    if (whole < -kMax - 1) return {-kMax - 1, 0};
    const uint128 ns = (uint128{fraction()} * kNanosPerSecond + (uint128{1} << 63)) >> 64;
    if (ns >= static_cast<uint128>(kNanosPerSecond)) return {static_cast<int64_t>(whole) + 1, 0};
    return {static_cast<int64_t>(whole), static_cast<uint32_t>(ns)};
  }
  constexpr uint32_t subsec_nanos() const { return split_nanos().nsec; }

  constexpr Time& operator+=(Duration d) {
    v_ += d.fixed();
    return *this;
  }
  constexpr Time& operator-=(Duration d) {
    v_ -= d.fixed();
    return *this;
  }
  friend constexpr Time operator+(Time t, Duration d) { return Time{t.v_ + d.fixed()}; }
  friend constexpr Time operator+(Duration d, Time t) { return Time{t.v_ + d.fixed()}; }
  friend constexpr Time operator-(Time t, Duration d) { return Time{t.v_ - d.fixed()}; }
  friend constexpr Duration operator-(Time a, Time b) { return Duration::from_fixed(a.v_ - b.v_); }
  friend constexpr auto operator<=>(Time a, Time b) = default;
  friend constexpr bool operator==(Time a, Time b) = default;

 private:
  constexpr explicit Time(int128 v) : v_(v) {}
  int128 v_ = 0;
};

using UtcTime = Time<Timescale::UTC>;
using TaiTime = Time<Timescale::TAI>;

// TAI = UTC + (TAI - UTC). The offset comes from the leap table or the page.
constexpr TaiTime to_tai(UtcTime t, int32_t tai_minus_utc_s) {
  return TaiTime::from_fixed(t.fixed() + int128{tai_minus_utc_s} * kFixedOneSecond);
}
constexpr UtcTime to_utc(TaiTime t, int32_t tai_minus_utc_s) {
  return UtcTime::from_fixed(t.fixed() - int128{tai_minus_utc_s} * kFixedOneSecond);
}

}  // namespace ffclock
