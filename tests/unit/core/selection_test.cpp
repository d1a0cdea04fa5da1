// SPDX-License-Identifier: BSD-2-Clause
// Marzullo selection and the inverse-variance combination, on hand-made intervals.
#include "core/engine/selection.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/engine/leap_state.hpp"

using namespace ffclock;
using namespace ffclock::core::engine;

namespace {

Interval iv(double lo_ms, double hi_ms) {
  return {Duration::microseconds(static_cast<int64_t>(lo_ms * 1000)),
          Duration::microseconds(static_cast<int64_t>(hi_ms * 1000))};
}

TEST(Selection, OneIntervalIsItsOwnMajority) {
  const std::vector<Interval> c{iv(-1, 1)};
  const auto r = select_truechimers(c);
  EXPECT_EQ(r.truechimers, std::vector<std::size_t>{0});
  EXPECT_TRUE(r.falsetickers.empty());
}

TEST(Selection, TheOddOneOutIsAFalseticker) {
  const std::vector<Interval> c{iv(-1, 1), iv(499, 501), iv(-0.5, 1.5)};
  const auto r = select_truechimers(c);
  EXPECT_EQ(r.truechimers, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(r.falsetickers, std::vector<std::size_t>{1});
  EXPECT_EQ(r.low, iv(-0.5, 1).earliest);
  EXPECT_EQ(r.high, iv(-0.5, 1).latest);
}

TEST(Selection, TwoThatDisagreeHaveNoMajority) {
  const std::vector<Interval> c{iv(-1, 1), iv(5, 6)};
  const auto r = select_truechimers(c);
  EXPECT_TRUE(r.truechimers.empty());
  EXPECT_TRUE(r.falsetickers.empty());
}

TEST(Selection, ChainOfOverlapsKeepsTheDeepestClique) {
  // 0 and 1 overlap, 1 and 2 overlap, 0 and 2 do not; 3 overlaps all but 0.
  const std::vector<Interval> c{iv(0, 2), iv(1, 4), iv(3, 6), iv(2.5, 5)};
  const auto r = select_truechimers(c);
  EXPECT_EQ(r.truechimers, (std::vector<std::size_t>{1, 2, 3}));
  EXPECT_EQ(r.falsetickers, std::vector<std::size_t>{0});
}

TEST(Selection, TouchingEndpointsCount) {
  const std::vector<Interval> c{iv(0, 1), iv(1, 2), iv(1, 3)};
  EXPECT_EQ(select_truechimers(c).truechimers.size(), 3u);
}

TEST(Combine, WeightsByInverseVarianceAndBoundsByTheBestSurvivor) {
  const std::vector<Estimate> s{
      {Duration::microseconds(0), Duration::microseconds(1), Duration::microseconds(10)},
      {Duration::microseconds(30), Duration::microseconds(3), Duration::microseconds(100)},
  };
  const auto c = combine(s);
  ASSERT_TRUE(c.has_value());
  // Weights 1 and 1/9: offset 30 / 10 = 3 us.
  EXPECT_NEAR(c->offset.to_seconds(), 3e-6, 1e-9);
  EXPECT_NEAR(c->esterror.to_seconds(), 1e-6 / std::sqrt(1 + 1.0 / 9), 1e-10);
  EXPECT_NEAR(c->maxerror.to_seconds(), 13e-6, 1e-9);  // |3 − 0| + 10
  EXPECT_EQ(c->heaviest, 0u);
  EXPECT_FALSE(combine({}).has_value());
}

TEST(LeapState, NextMonthStart) {
  EXPECT_EQ(next_month_start(UtcTime::from_unix(1'782'777'600)), 1'782'864'000);  // 2026-06-30 -> 07-01
  EXPECT_EQ(next_month_start(UtcTime::from_unix(1'798'675'200)), 1'798'761'600);  // 2026-12-31 -> 2027-01-01
  EXPECT_EQ(next_month_start(UtcTime::from_unix(1'709'164'800)), 1'709'251'200);  // 2024-02-29 -> 03-01
}

TEST(LeapState, IndicatorAnnouncesAtTheMonthEndAndUnfoldsServerTime) {
  LeapState l;
  const UtcTime now = UtcTime::from_unix(1'782'777'600);  // 2026-06-30T00:00Z
  EXPECT_EQ(l.tai_minus_utc_at(now), 37);
  EXPECT_FALSE(l.offset_known());
  l.set_indicator(ffclock::core::LeapIndicator::InsertSecond, now);
  EXPECT_EQ(l.indicator(now), ffclock::core::LeapIndicator::InsertSecond);
  EXPECT_EQ(l.tai_minus_utc_at(UtcTime::from_unix(1'782'863'999)), 37);
  EXPECT_EQ(l.tai_minus_utc_at(UtcTime::from_unix(1'782'864'001)), 38);
  EXPECT_TRUE(l.near_leap(UtcTime::from_unix(1'782'864'001), Duration::seconds(2)));
  EXPECT_FALSE(l.advance(now).has_value());
  const auto crossed = l.advance(UtcTime::from_unix(1'782'864'010));
  ASSERT_TRUE(crossed.has_value());
  EXPECT_EQ(crossed->tai_minus_utc_after, 38);
  // Still announced by the servers after the leap: not a second leap.
  l.set_indicator(ffclock::core::LeapIndicator::InsertSecond, UtcTime::from_unix(1'782'863'999));
  EXPECT_FALSE(l.advance(UtcTime::from_unix(1'782'864'020)).has_value());
  EXPECT_EQ(l.tai_minus_utc_at(UtcTime::from_unix(1'782'864'020)), 38);
}

// A table past its expiry still says what TAI − UTC was then; only later leaps are the
// sources' (a table that ends at 36 s, expired in 2016, read in 2026).
TEST(LeapState, ExpiredTableGivesTheOffsetAtItsExpiry) {
  core::LeapParseOptions unhashed;
  unhashed.require_hash = false;
  // Last update 2015-07-01, expiry 2016-06-28; 36 s from 2015-07-01.
  const auto table = core::LeapTable::parse("#$ 3644697600\n#@ 3676060800\n3644697600 36\n", unhashed);
  ASSERT_TRUE(table.has_value());
  const UtcTime now = UtcTime::from_unix(1'796'083'200);  // 2026-12-01T00:00Z
  LeapState l;
  EXPECT_FALSE(l.offset_known());  // 37 assumed
  l.set_table(*table, now);
  EXPECT_TRUE(l.table_expired(now));
  EXPECT_TRUE(l.offset_known());
  EXPECT_EQ(l.tai_minus_utc_at(now), 36);
  EXPECT_FALSE(l.advance(now).has_value());
  EXPECT_EQ(l.tai_minus_utc_at(now), 36);
  // Past the expiry the sources announce: a leap at 2027-01-01 makes it 37.
  l.set_indicator(ffclock::core::LeapIndicator::InsertSecond, now);
  const UtcTime after = UtcTime::from_unix(1'798'761'600 + 10);  // 2027-01-01T00:00:10Z
  EXPECT_EQ(l.tai_minus_utc_at(after), 37);
  ASSERT_TRUE(l.advance(after).has_value());
  // The same expired table read again (the daemon rereads daily) does not undo that leap.
  l.set_table(*table, after);
  EXPECT_EQ(l.tai_minus_utc_at(after), 37);
  EXPECT_TRUE(l.offset_known());
}

}  // namespace
