// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// RFC 3339 text for instants: "2036-02-07T06:28:16.000000000Z".
//
// Formatting always writes UTC with a 'Z'. Parsing accepts 'Z' or a numeric offset, any
// number of fraction digits (extra digits past nanoseconds are rounded away), lower-case
// 't'/'z', and a leap second ":60", which POSIX time cannot name and maps to the start of
// the next second.

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core {

enum class Rfc3339Error { Syntax, FieldRange };

// digits: number of fraction digits, 0..9.
std::string format_rfc3339(UtcTime t, int digits = 9);
Result<UtcTime, Rfc3339Error> parse_rfc3339(std::string_view text);

// Days since 1970-01-01 for a proleptic Gregorian date, and back (H. Hinnant's algorithms).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};
CivilDate civil_from_days(int64_t days);

}  // namespace ffclock::core
