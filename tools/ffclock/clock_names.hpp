// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The names ffclock's output uses for the reader's enums, and the usability rule of `now`,
// `status` and `wait-sync`.

#include <cstdint>
#include <string>

#include "ffclock/clock.hpp"

namespace ffclock::tool {

// unknown, initializing, synchronized, freerunning, unreliable, disrupted
[[nodiscard]] const char* status_name(ClockStatus s);
// none, pending-insert, pending-delete, inserting, post-insert, post-delete
[[nodiscard]] const char* leap_name(LeapState s);
// tsc, cntvct, monotonic_raw, invalid, or "counter N"
[[nodiscard]] std::string counter_name(uint8_t counter_id);
// noon-linear, utc-sls, cosine, none
[[nodiscard]] const char* smear_name(SmearKind k);

// A time with a bound: synchronized or freerunning, and a finite maxerror.
[[nodiscard]] bool usable(const ClockReading& r);
// What wait-sync waits for: synchronized within max_error.
[[nodiscard]] bool synchronized_within(const ClockReading& r, Duration max_error);

}  // namespace ffclock::tool
