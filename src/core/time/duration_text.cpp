// SPDX-License-Identifier: BSD-2-Clause
// Strict parsing of "<number><unit>" durations (see duration_text.hpp).
#include "core/time/duration_text.hpp"

#include <array>

namespace ffclock::core {
namespace {

struct Unit {
  std::string_view name;
  int64_t nanos;
};
constexpr std::array<Unit, 6> kUnits{{{"ns", 1},
                                      {"us", 1'000},
                                      {"ms", 1'000'000},
                                      {"s", 1'000'000'000},
                                      {"m", 60'000'000'000},
                                      {"h", 3'600'000'000'000}}};

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<Duration, DurationTextError> parse_duration(std::string_view text) {
  if (text.empty()) return Unexpected{DurationTextError::Empty};
  if (!is_digit(text.front())) return Unexpected{DurationTextError::NoNumber};
  // Integer part: stop accumulating once past the limit (the value is rejected anyway), so
  // a long run of digits cannot overflow.
  constexpr int128 kLimitNs = int128{kMaxDurationText.floor_seconds()} * kNanosPerSecond;
  size_t i = 0;
  int128 whole = 0;
  for (; i < text.size() && is_digit(text[i]); ++i) {
    if (whole <= kLimitNs) whole = whole * 10 + (text[i] - '0');
  }
  int128 frac = 0;  // fraction digits as an integer, scaled to 9 digits below
  int frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && is_digit(text[i]); ++i, ++frac_digits) {
      if (frac_digits == 9) return Unexpected{DurationTextError::BadNumber};
      frac = frac * 10 + (text[i] - '0');
    }
    if (frac_digits == 0) return Unexpected{DurationTextError::BadNumber};
  }
  for (int d = frac_digits; d < 9; ++d) frac *= 10;
  const std::string_view unit_text = text.substr(i);
  if (unit_text.empty()) return Unexpected{DurationTextError::MissingUnit};
  for (const Unit& unit : kUnits) {
    if (unit_text != unit.name) continue;
    if (whole > kLimitNs) return Unexpected{DurationTextError::TooLarge};
    // whole * unit + frac * unit / 1e9, rounded to the nearest nanosecond.
    const int128 ns = whole * unit.nanos + (frac * unit.nanos + 500'000'000) / 1'000'000'000;
    if (ns > kLimitNs) return Unexpected{DurationTextError::TooLarge};
    return Duration::nanoseconds(static_cast<int64_t>(ns));
  }
  return Unexpected{DurationTextError::UnknownUnit};
}

const char* to_string(DurationTextError e) {
  switch (e) {
    case DurationTextError::Empty:
      return "empty duration";
    case DurationTextError::NoNumber:
      return "a duration starts with a digit (e.g. 500us, 1ms, 60s)";
    case DurationTextError::BadNumber:
      return "malformed number (digits, optionally '.' and 1 to 9 digits)";
    case DurationTextError::MissingUnit:
      return "missing unit (ns, us, ms, s, m or h)";
    case DurationTextError::UnknownUnit:
      return "unknown unit (ns, us, ms, s, m or h)";
    case DurationTextError::TooLarge:
      return "duration too large (at most 100 years)";
  }
  return "invalid duration";
}

}  // namespace ffclock::core
