// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Durations written as text on command lines and in configuration: a non-negative decimal
// number immediately followed by a unit, e.g. "500us", "1ms", "60s", "1.5h".
//
// Units: ns, us, ms, s, m (minutes), h. Parsing is strict: no sign, no blanks, no exponent,
// no missing or unknown unit, at most 9 fraction digits (below a nanosecond nothing is
// kept), and at most 100 years, so every accepted value fits Duration and int64 nanoseconds.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core {

enum class DurationTextError : uint8_t {
  Empty,        // ""
  NoNumber,     // does not start with a digit ("ms", "-1s", ".5s")
  BadNumber,    // a '.' without digits after it, or more than 9 fraction digits
  MissingUnit,  // "60"
  UnknownUnit,  // "60sec", "1 s"
  TooLarge,     // above kMaxDurationText
};

inline constexpr Duration kMaxDurationText = Duration::seconds(int64_t{100} * 366 * 86'400);

[[nodiscard]] Result<Duration, DurationTextError> parse_duration(std::string_view text);

// One line for an error message, e.g. "missing unit (ns, us, ms, s, m or h)".
[[nodiscard]] const char* to_string(DurationTextError e);

}  // namespace ffclock::core
