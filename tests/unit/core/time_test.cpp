// SPDX-License-Identifier: BSD-2-Clause
// Golden and round-trip tests for the time value types and their NTP/timespec/RFC 3339 forms.
#include "ffclock/time.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/time/ntp_time.hpp"
#include "core/time/rfc3339.hpp"
#include "core/time/timespec.hpp"
#include "ffclock/period.hpp"

using namespace ffclock;
using namespace ffclock::core;

namespace {
UtcTime parse(const char* s) {
  auto r = parse_rfc3339(s);
  EXPECT_TRUE(r.has_value()) << s;
  return r.has_value() ? r.value() : UtcTime{};
}
}  // namespace

TEST(Duration, NanosecondRoundTrip) {
  for (int64_t ns : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{999'999'999}, int64_t{-1'500'000'001},
                     int64_t{86'400} * kNanosPerSecond * 365 * 200}) {
    EXPECT_EQ(Duration::nanoseconds(ns).to_nanoseconds(), ns) << ns;
  }
  EXPECT_EQ(Duration::milliseconds(1500), Duration::nanoseconds(1'500'000'000));
  EXPECT_EQ(Duration::microseconds(-3), Duration::nanoseconds(-3000));
  EXPECT_EQ(Duration::seconds(2).fixed(), int128{2} << 64);
  EXPECT_EQ(abs(Duration::seconds(-3)), Duration::seconds(3));
  EXPECT_DOUBLE_EQ(Duration::from_seconds(0.25).to_seconds(), 0.25);
}

// from_seconds converts in two 64-bit halves; it must equal the direct 128-bit conversion
// (truncation toward zero) for every value in range (|s| < 2^63), both signs, both float
// types (a long double just below 2^63 rounds to 2^63 as a double: out of range).
TEST(Time, FromSecondsEqualsTheDirectConversion) {
  std::mt19937_64 rng(7);
  std::vector<long double> values{0.0L,
                                  1.0L,
                                  0.5L,
                                  1e-19L,
                                  5.42e-20L,
                                  1.0L - 1e-18L,
                                  3.999999999999999999L,
                                  9.2e18L,
                                  4611686018427387904.0L /* 2^62 */,
                                  0x1.fffffffffffffp62L /* largest double below 2^63 */,
                                  0x1.fffffffffffffffep62L /* largest long double below 2^63 */};
  for (int i = 0; i < 20000; ++i) {
    const auto mantissa = static_cast<long double>(rng() >> 1) / 9223372036854775808.0L;  // [0, 1)
    values.push_back(std::ldexp(mantissa, static_cast<int>(rng() % 126) - 64));           // 2^-64 .. 2^62
  }
  for (const long double v : values) {
    for (const long double s : {v, -v}) {
      EXPECT_EQ(Duration::from_seconds(s).fixed(), static_cast<int128>(s * 18446744073709551616.0L))
          << double(s);
      const auto d = static_cast<double>(s);
      if (std::fabs(d) >= 0x1p63) continue;
      EXPECT_EQ(Duration::from_seconds(d).fixed(), static_cast<int128>(d * 18446744073709551616.0)) << d;
    }
  }
}

TEST(Time, NegativeInstantsFloor) {
  const UtcTime t = UtcTime::from_unix_nanos(-1);  // 1969-12-31T23:59:59.999999999
  EXPECT_EQ(t.unix_seconds(), -1);
  EXPECT_EQ(t.subsec_nanos(), 999'999'999u);
  EXPECT_EQ(format_rfc3339(t), "1969-12-31T23:59:59.999999999Z");
}

TEST(Time, TaiConversion) {
  const UtcTime u = parse("2017-01-01T00:00:00Z");
  const TaiTime t = to_tai(u, 37);
  EXPECT_EQ(t.unix_seconds(), u.unix_seconds() + 37);
  EXPECT_EQ(to_utc(t, 37), u);
}

TEST(Ntp, GoldenEpochs) {
  const UtcTime pivot = parse("2026-01-01T00:00:00Z");
  // 1900-01-01 is NTP 0 in era 0; with a 1950 pivot it decodes to 1900.
  EXPECT_EQ(to_ntp(parse("1900-01-01T00:00:00Z")).raw, 0u);
  EXPECT_EQ(from_ntp(NtpTimestamp{0}, parse("1950-01-01T00:00:00Z")), parse("1900-01-01T00:00:00Z"));
  EXPECT_EQ(ntp_era(parse("1900-01-01T00:00:00Z")), 0);
  // 1970: NTP seconds 2208988800.
  EXPECT_EQ(to_ntp(UtcTime::epoch()).seconds(), 2'208'988'800u);
  EXPECT_EQ(from_ntp(NtpTimestamp{uint64_t{2'208'988'800} << 32}, pivot), UtcTime::epoch());
  // Era 0 -> 1 at 2036-02-07T06:28:16Z: NTP seconds wrap to 0.
  const UtcTime rollover = parse("2036-02-07T06:28:16Z");
  EXPECT_EQ(rollover.unix_seconds(), 2'085'978'496);
  EXPECT_EQ(ntp_era(rollover), 1);
  EXPECT_EQ(ntp_era(rollover - Duration::nanoseconds(1)), 0);
  EXPECT_EQ(to_ntp(rollover).raw, 0u);
  EXPECT_EQ(from_ntp(NtpTimestamp{0}, pivot), rollover);  // pivot in era 0, result in era 1
  const NtpTimestamp before = to_ntp(rollover - Duration::seconds(1));
  EXPECT_EQ(before.seconds(), 0xFFFFFFFFu);
  EXPECT_EQ(from_ntp(before, rollover + Duration::seconds(10)), rollover - Duration::seconds(1));
  // Differences across the rollover are modular.
  EXPECT_EQ(ntp_diff(to_ntp(rollover + Duration::seconds(2)), before), Duration::seconds(3));
  // 2106 (unix 2^32) is in era 1.
  const UtcTime t2106 = parse("2106-02-07T06:28:16Z");
  EXPECT_EQ(t2106.unix_seconds(), int64_t{1} << 32);
  EXPECT_EQ(from_ntp(to_ntp(t2106), parse("2100-01-01T00:00:00Z")), t2106);
}

TEST(Ntp, RoundTripWithinResolution) {
  const UtcTime pivot = parse("2030-06-01T00:00:00Z");
  for (int64_t ns : {int64_t{1'700'000'000'123'456'789}, int64_t{2'085'978'495'999'999'999},
                     int64_t{2'085'978'496'000'000'001}, int64_t{946'684'800'000'000'000}}) {
    const UtcTime t = UtcTime::from_unix_nanos(ns);
    const UtcTime back = from_ntp(to_ntp(t), pivot);
    EXPECT_LE(abs(back - t), Duration::nanoseconds(1)) << ns;  // 2^-32 s = 0.23 ns
  }
}

TEST(Ntp, ShortFormat) {
  EXPECT_EQ(from_ntp_short(NtpShort{0x00010000}), Duration::seconds(1));
  EXPECT_EQ(to_ntp_short(Duration::milliseconds(500)).raw, 0x8000u);
  EXPECT_EQ(to_ntp_short(Duration::seconds(70000)).raw, 0xFFFFFFFFu);
  EXPECT_EQ(to_ntp_short(-Duration::seconds(1)).raw, 0u);
}

TEST(Rfc3339, GoldenAndRoundTrip) {
  EXPECT_EQ(format_rfc3339(UtcTime::epoch()), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(format_rfc3339(parse("1900-01-01T00:00:00Z"), 0), "1900-01-01T00:00:00Z");
  EXPECT_EQ(parse("1900-01-01T00:00:00Z").unix_seconds(), -kNtpUnixOffsetS);
  EXPECT_EQ(format_rfc3339(UtcTime::from_unix_nanos(2'085'978'496'123'456'789), 6),
            "2036-02-07T06:28:16.123456Z");
  EXPECT_EQ(parse("2024-02-29T12:00:00.5+02:00"), parse("2024-02-29T10:00:00.500Z"));
  EXPECT_EQ(parse("2016-12-31T23:59:60Z"), parse("2017-01-01T00:00:00Z"));
  for (int64_t ns : {int64_t{0}, int64_t{-2'208'988'800'000'000'000}, int64_t{4'294'967'296'999'999'999}}) {
    const UtcTime t = UtcTime::from_unix_nanos(ns);
    EXPECT_EQ(parse(format_rfc3339(t).c_str()), t);
  }
}

TEST(Rfc3339, RejectsMalformed) {
  for (const char* bad : {"", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01 00:00:00Z",
                          "2024-01-01T00:00:00", "2024-01-01T00:00:00.Z", "2024-01-01T24:00:00Z",
                          "2024-01-01T00:00:00Zjunk", "2024-01-01T00:00:00+0100"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

TEST(Timespec, RoundTrip) {
  const UtcTime t = UtcTime::from_unix_nanos(1'234'567'890'987'654'321);
  const timespec ts = to_timespec(t);
  EXPECT_EQ(ts.tv_sec, 1'234'567'890);
  EXPECT_EQ(ts.tv_nsec, 987'654'321);
  EXPECT_EQ(from_timespec(ts), t);
}

TEST(CounterPeriod, OneGigahertzMatchesVmclockExample) {
  const CounterPeriod p = CounterPeriod::from_seconds(1e-9L);
  EXPECT_EQ(p.shift, 29);
  EXPECT_EQ(p.frac, 0x89705F4136B4A597ull);
  // One second of ticks is one second to within a tick's rounding.
  EXPECT_LE(abs(p.ticks_to_duration(uint64_t{1'000'000'000}) - Duration::seconds(1)),
            Duration::nanoseconds(1));
  EXPECT_EQ(p.ticks_to_duration(int64_t{-1'000'000'000}), -p.ticks_to_duration(uint64_t{1'000'000'000}));
  EXPECT_NEAR(static_cast<double>(p.to_seconds()), 1e-9, 1e-27);
}
