// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// NTP on-wire time formats (RFC 5905 §6) and their mapping to UtcTime.
//
// A 64-bit NTP timestamp carries seconds modulo 2^32 since 1900 (the era is implicit): era 0
// ends at 2036-02-07T06:28:16Z. Decoding therefore needs a pivot (an approximate current
// time); the result is the instant within +-68 years of the pivot.

#include <cstdint>

#include "ffclock/time.hpp"

namespace ffclock::core {

// Seconds from 1900-01-01 (NTP epoch) to 1970-01-01 (Unix epoch).
inline constexpr int64_t kNtpUnixOffsetS = 2'208'988'800;

// 32.32 fixed-point seconds modulo 2^32, as on the wire (host order here).
struct NtpTimestamp {
  uint64_t raw = 0;
  constexpr uint32_t seconds() const { return static_cast<uint32_t>(raw >> 32); }
  constexpr uint32_t fraction() const { return static_cast<uint32_t>(raw); }
  constexpr bool is_zero() const { return raw == 0; }
  friend constexpr bool operator==(NtpTimestamp, NtpTimestamp) = default;
};

// 16.16 fixed-point unsigned seconds (root delay, root dispersion).
struct NtpShort {
  uint32_t raw = 0;
  friend constexpr bool operator==(NtpShort, NtpShort) = default;
};

// The NTP era of an instant (RFC 5905: era 0 starts 1900, era 1 starts 2036-02-07).
constexpr int64_t ntp_era(UtcTime t) {
  const int64_t ntp_s = t.unix_seconds() + kNtpUnixOffsetS;
  return ntp_s >= 0 ? ntp_s >> 32 : -(((-ntp_s) - 1) >> 32) - 1;
}

// Encodes an instant (any era) as an NTP timestamp; the fraction is rounded to nearest.
constexpr NtpTimestamp to_ntp(UtcTime t) {
  const int128 ntp_fixed = t.fixed() + int128{kNtpUnixOffsetS} * kFixedOneSecond;
  // 64.64 -> 32.32 with rounding, then keep the low 64 bits (seconds mod 2^32).
  const int128 rounded = (ntp_fixed + (int128{1} << 31)) >> 32;
  return NtpTimestamp{static_cast<uint64_t>(static_cast<uint128>(rounded))};
}

// Decodes an NTP timestamp to the instant nearest to `pivot` (within +-2^31 s).
constexpr UtcTime from_ntp(NtpTimestamp ts, UtcTime pivot) {
  const int128 frac = int128{ts.fraction()} << 32;
  const int64_t pivot_ntp = pivot.unix_seconds() + kNtpUnixOffsetS;
  // Candidate in the pivot's era, then move by one era if that is closer.
  const int64_t era = ntp_era(pivot);
  int64_t ntp_s = era * (int64_t{1} << 32) + ts.seconds();
  const int64_t half = int64_t{1} << 31;
  if (ntp_s - pivot_ntp >= half)
    ntp_s -= int64_t{1} << 32;
  else if (pivot_ntp - ntp_s > half)
    ntp_s += int64_t{1} << 32;
  return UtcTime::from_fixed(int128{ntp_s - kNtpUnixOffsetS} * kFixedOneSecond + frac);
}

constexpr Duration from_ntp_short(NtpShort s) { return Duration::from_fixed(int128{s.raw} << 48); }
// Saturates at the format's maximum (65535.99998 s); negative durations encode as 0.
constexpr NtpShort to_ntp_short(Duration d) {
  if (d <= Duration{}) return NtpShort{0};
  const int128 v = (d.fixed() + (int128{1} << 47)) >> 48;
  return NtpShort{v > 0xFFFFFFFF ? 0xFFFFFFFFu : static_cast<uint32_t>(v)};
}

// Signed NTP timestamp difference a - b as a Duration, assuming |a - b| < 68 years
// (RFC 5905's modular arithmetic across an era boundary).
constexpr Duration ntp_diff(NtpTimestamp a, NtpTimestamp b) {
  const int64_t d = static_cast<int64_t>(a.raw - b.raw);
  return Duration::from_fixed(int128{d} << 32);
}

}  // namespace ffclock::core
