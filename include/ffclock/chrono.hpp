// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The published clock as std::chrono clocks, and conversions of ffclock's time values to
// timespec, std::chrono and RFC 3339 text, for applications (header-only, nothing from src/).
//
// ffclock::utc_clock and ffclock::steady_clock meet the C++ Clock requirements. Both read one
// process-wide page opened at first use: $FFCLOCK_PAGE if set, else /run/ffclock/page.
// Fallback, documented per clock:
//  - utc_clock::now() is the page's UTC; when the page is missing or a read fails (not yet
//    published, busy, no writer) it is CLOCK_REALTIME for that call.
//  - steady_clock::now() is the page's monotonic clock when the page gives one at first use,
//    else CLOCK_MONOTONIC for the life of the process (the two are never mixed: they count
//    from different origins). A read of the page that fails later returns the last value
//    this thread got, so it never goes back.

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ffclock/clock.hpp"
#include "ffclock/time.hpp"

namespace ffclock {

// ---- conversions ----

template <Timescale S>
inline timespec to_timespec(Time<S> t) {
  const auto s = t.split_nanos();
  return {static_cast<time_t>(s.sec), static_cast<long>(s.nsec)};
}
inline timespec to_timespec(Duration d) { return to_timespec(UtcTime::from_fixed(d.fixed())); }
inline UtcTime utc_from_timespec(const timespec& ts) {
  return UtcTime::from_unix(ts.tv_sec) + Duration::nanoseconds(ts.tv_nsec);
}
inline std::chrono::nanoseconds to_chrono(Duration d) { return std::chrono::nanoseconds(d.to_nanoseconds()); }
// POSIX UTC as a system_clock time point (same epoch, nanoseconds, saturating at +-292 years).
inline std::chrono::sys_time<std::chrono::nanoseconds> to_sys_time(UtcTime t) {
  return std::chrono::sys_time<std::chrono::nanoseconds>(std::chrono::nanoseconds(t.unix_nanos()));
}

// RFC 3339 text, UTC with 'Z': "2026-11-30T01:50:00.123456789Z", rounded to the nearest
// nanosecond, then `digits` fraction digits (0-9) kept. Years outside 0000-9999 give ""
// (RFC 3339 cannot name them; readings never are: ClockReading clamps and refuses).
inline std::string to_rfc3339(UtcTime t, int digits = 9) {
  const auto split = t.split_nanos();
  if (t < kMinReadableTime || split.sec > kMaxReadableTime.unix_seconds()) return {};
  digits = digits < 0 ? 0 : digits > 9 ? 9 : digits;
  const int64_t secs = split.sec;
  const int64_t days = secs / 86'400 - (secs % 86'400 < 0 ? 1 : 0);
  const int64_t sod = secs - days * 86'400;
  // Civil date from days since 1970 (400-year eras, years starting in March).
  const int64_t z = days + 719'468;
  const int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const int64_t doe = z - era * 146'097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char buf[48];
  const unsigned long long ns = split.nsec;
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", static_cast<int>(year),
                        static_cast<int>(month), static_cast<int>(day), static_cast<int>(sod / 3600),
                        static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
  std::string out(buf, static_cast<size_t>(n));
  if (digits > 0) {
    n = std::snprintf(buf, sizeof buf, ".%09llu", ns);
    out.append(buf, static_cast<size_t>(1 + digits));
  }
  out += 'Z';
  return out;
}

// ---- std::chrono clocks ----

namespace chrono_detail {
// The process-wide page, opened once (thread-safe static initialisation); null when absent.
inline const Clock* process_clock() {
  static const Clock* const clock = []() -> const Clock* {
    const char* env = std::getenv("FFCLOCK_PAGE");
    auto c = Clock::open(env != nullptr && env[0] != '\0' ? env : kDefaultPagePath);
    if (!c) return nullptr;
    return new Clock(std::move(c).value());  // lives as long as the process; never freed
  }();
  return clock;
}
inline int64_t system_nanos(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}
}  // namespace chrono_detail

// POSIX UTC from the page (a leap second repeats 23:59:59, as system_clock does); same epoch
// as std::chrono::system_clock. Not steady: absolute time may step.
struct utc_clock {
  using rep = int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<utc_clock>;
  static constexpr bool is_steady = false;

  static time_point now() noexcept {
    if (const Clock* c = chrono_detail::process_clock()) {
      if (const auto r = c->now()) return time_point(duration(r->utc.unix_nanos()));
    }
    return time_point(duration(chrono_detail::system_nanos(CLOCK_REALTIME)));
  }
  // True when now() reads the page (false: CLOCK_REALTIME).
  static bool uses_page() noexcept { return chrono_detail::process_clock() != nullptr; }
  static std::chrono::sys_time<duration> to_sys(time_point t) {
    return std::chrono::sys_time<duration>(t.time_since_epoch());
  }
  static time_point from_sys(std::chrono::sys_time<duration> t) { return time_point(t.time_since_epoch()); }
};

// The page's monotonic clock (TAI rate, never decreasing, across processes), or
// CLOCK_MONOTONIC when the page gives none at first use.
struct steady_clock {
  using rep = int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<steady_clock>;
  static constexpr bool is_steady = true;

  static time_point now() noexcept {
    const Clock* c = source();
    if (c == nullptr) return time_point(duration(chrono_detail::system_nanos(CLOCK_MONOTONIC)));
    thread_local int64_t last = 0;
    if (const auto m = c->monotonic()) last = std::max(last, m->to_nanoseconds());
    return time_point(duration(last));
  }
  static bool uses_page() noexcept { return source() != nullptr; }

 private:
  static const Clock* source() noexcept {
    static const Clock* const chosen = [] {
      const Clock* c = chrono_detail::process_clock();
      return c != nullptr && c->monotonic().has_value() ? c : nullptr;
    }();
    return chosen;
  }
};

}  // namespace ffclock
