// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The counter period in the vmclock page's units: seconds per tick = frac * 2^-(64 + shift).
//
// The shift is chosen as large as possible so that frac keeps 64 significant bits; a 1 GHz
// counter is frac 0x89705F4136B4A597 with shift 29. Conversions to long double are for the
// estimator; readers use only the integer form.

#include <cmath>
#include <cstdint>

#include "ffclock/time.hpp"

namespace ffclock {

struct CounterPeriod {
  uint64_t frac = 0;
  uint8_t shift = 0;

  friend constexpr bool operator==(CounterPeriod, CounterPeriod) = default;

  // From seconds per tick (0 < p < 1). Returns {0, 0} for a value out of range.
  static CounterPeriod from_seconds(long double p) {
    if (!(p > 0.0L) || !(p < 1.0L)) return {};
    int shift = 0;
    long double scaled = std::ldexp(p, 64);
    while (shift < 255 && scaled * 2.0L < 18446744073709551616.0L) {
      scaled *= 2.0L;
      ++shift;
    }
    const long double rounded = std::nearbyint(scaled);
    if (rounded >= 18446744073709551616.0L)
      return {static_cast<uint64_t>(rounded / 2.0L), static_cast<uint8_t>(shift - 1)};
    return {static_cast<uint64_t>(rounded), static_cast<uint8_t>(shift)};
  }

  long double to_seconds() const {
    return std::ldexp(static_cast<long double>(frac), -(64 + static_cast<int>(shift)));
  }

  // Duration of `ticks` counter ticks: (ticks * frac) >> shift in 2^-64 s, exact in 128 bits
  // for ticks * frac < 2^128 (any delta below 2^64 ticks).
  constexpr Duration ticks_to_duration(uint64_t ticks) const {
    // A shift of 128 or more (only an absurd page has one) leaves nothing of the product.
    if (shift >= 128) return Duration{};
    return Duration::from_fixed(static_cast<int128>((uint128{ticks} * frac) >> shift));
  }
  // Signed variant for a counter difference that may be negative.
  constexpr Duration ticks_to_duration(int64_t ticks) const {
    if (ticks >= 0) return ticks_to_duration(static_cast<uint64_t>(ticks));
    return -ticks_to_duration(static_cast<uint64_t>(-(ticks + 1)) + 1u);
  }
};

}  // namespace ffclock
