// SPDX-License-Identifier: BSD-2-Clause
// The std::chrono clocks and the conversions of time values (include/ffclock/chrono.hpp).
#include "ffclock/chrono.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <type_traits>

#include "core/time/rfc3339.hpp"

using namespace ffclock;

namespace {

static_assert(std::chrono::is_clock_v<ffclock::utc_clock>);
static_assert(std::chrono::is_clock_v<ffclock::steady_clock>);
static_assert(ffclock::steady_clock::is_steady && !ffclock::utc_clock::is_steady);
static_assert(std::is_same_v<ffclock::utc_clock::duration, std::chrono::nanoseconds>);

TEST(Chrono, ConversionsToTimespecChronoAndText) {
  const UtcTime t = UtcTime::from_unix(1'796'000'000) + Duration::nanoseconds(123'456'789);
  const timespec ts = to_timespec(t);
  EXPECT_EQ(ts.tv_sec, 1'796'000'000);
  EXPECT_EQ(ts.tv_nsec, 123'456'789);
  EXPECT_EQ(utc_from_timespec(ts), t);
  const timespec neg = to_timespec(Duration::nanoseconds(-1));
  EXPECT_EQ(neg.tv_sec, -1);
  EXPECT_EQ(neg.tv_nsec, 999'999'999);
  EXPECT_EQ(to_sys_time(t).time_since_epoch().count(), 1'796'000'000'123'456'789);
  EXPECT_EQ(to_chrono(Duration::milliseconds(5)), std::chrono::milliseconds(5));
  // The header's RFC 3339 text matches the core formatter (which the CLI uses).
  for (const UtcTime u : {t, UtcTime::from_unix(951'782'400), UtcTime::from_unix(-1), kMinReadableTime,
                          UtcTime::from_unix(253'402'300'799, 0x8000000000000000ull)}) {
    EXPECT_EQ(to_rfc3339(u), core::format_rfc3339(u)) << to_rfc3339(u);
  }
  EXPECT_EQ(to_rfc3339(t, 3), "2026-11-30T00:53:20.123Z");
  EXPECT_EQ(to_rfc3339(UtcTime::from_unix(951'782'400), 0), "2000-02-29T00:00:00Z");
  EXPECT_EQ(to_rfc3339(kMaxReadableTime + Duration::seconds(1)), "");
}

// No page at $FFCLOCK_PAGE: both clocks fall back to the system clocks (this test binary
// opens the process-wide page only here).
TEST(Chrono, FallBackToTheSystemClocksWithoutAPage) {
  ASSERT_EQ(setenv("FFCLOCK_PAGE", "/nonexistent/ffclock/page", 1), 0);
  EXPECT_FALSE(ffclock::utc_clock::uses_page());
  EXPECT_FALSE(ffclock::steady_clock::uses_page());
  const auto sys = std::chrono::system_clock::now();
  const auto ours = ffclock::utc_clock::to_sys(ffclock::utc_clock::now());
  EXPECT_LT(std::chrono::abs(ours - sys), std::chrono::seconds(1));
  auto a = ffclock::steady_clock::now();
  for (int i = 0; i < 1000; ++i) {
    const auto b = ffclock::steady_clock::now();
    EXPECT_LE(a, b);
    a = b;
  }
}

}  // namespace
