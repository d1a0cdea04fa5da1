// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Text for times and durations in ffclock's output: RFC 3339 for instants (a leap second
// shows as 23:59:60), and durations with a unit chosen for their size ("85.000 us").

#include <cstdint>
#include <string>

#include "ffclock/clock.hpp"

namespace ffclock::tool {

// RFC 3339 UTC with nanoseconds; during an inserted leap second (the reader's POSIX UTC
// repeats 23:59:59) the seconds field reads 60.
[[nodiscard]] std::string utc_text(const ClockReading& r);
// TAI as an RFC 3339 timestamp (the field name says it is TAI).
[[nodiscard]] std::string tai_text(TaiTime t);

// "-1.200 us", "85.000 us", "1.500 s", "350 ns"
[[nodiscard]] std::string duration_text(Duration d);
[[nodiscard]] std::string nanos_text(int64_t ns);

// Nanoseconds, saturated at +-(2^63 - 1) (a page can hold spans no int64 of ns can).
[[nodiscard]] int64_t saturated_nanos(Duration d);

}  // namespace ffclock::tool
