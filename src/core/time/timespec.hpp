// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Conversions between UtcTime/Duration and POSIX struct timespec (struct only; no syscalls).

#include <ctime>

#include "ffclock/time.hpp"

namespace ffclock::core {

// Rounds to the nearest nanosecond; tv_nsec is always in [0, 1e9).
inline timespec to_timespec(UtcTime t) {
  const auto split = t.split_nanos();
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(split.sec);
  ts.tv_nsec = static_cast<long>(split.nsec);
  return ts;
}

inline UtcTime from_timespec(const timespec& ts) {
  return UtcTime::from_unix(ts.tv_sec) + Duration::nanoseconds(ts.tv_nsec);
}

inline Duration duration_from_timespec(const timespec& ts) {
  return Duration::seconds(ts.tv_sec) + Duration::nanoseconds(ts.tv_nsec);
}

}  // namespace ffclock::core
