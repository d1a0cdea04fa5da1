// SPDX-License-Identifier: BSD-2-Clause
#include "sim/replay.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "sim/naive_clock.hpp"

namespace ffclock::sim {
namespace {

TEST(Replay, ParsesAStampExactly) {
  const StampLine s = parse_radclock_stamp("1000000 1234567890.000000001 1234567890.5 1000200 7 extra");
  ASSERT_TRUE(s.error.empty()) << s.error;
  ASSERT_TRUE(s.exchange.has_value());
  EXPECT_EQ(s.exchange->ta, 1000000u);
  EXPECT_EQ(s.exchange->tf, 1000200u);
  EXPECT_EQ(s.exchange->tb, UtcTime::from_unix_nanos(1234567890'000000001));
  EXPECT_LT(abs((s.exchange->te - s.exchange->tb) - Duration::nanoseconds(499999999)),
            Duration::from_fixed(4));
}

TEST(Replay, CommentsAndBlankLinesAreSkipped) {
  EXPECT_FALSE(parse_radclock_stamp("% radclock ascii output").exchange.has_value());
  EXPECT_FALSE(parse_radclock_stamp("").exchange.has_value());
  EXPECT_TRUE(parse_radclock_stamp("   ").error.empty());
}

TEST(Replay, MalformedFieldsAreNamed) {
  EXPECT_NE(parse_radclock_stamp("12x 1.5 1.6 20").error.find("Ta"), std::string::npos);
  EXPECT_NE(parse_radclock_stamp("12 1.5e3 1.6 20").error.find("Tb"), std::string::npos);
  EXPECT_NE(parse_radclock_stamp("12 1.5 1.6").error.find("Tf"), std::string::npos);
}

TEST(Replay, FeedsEveryStampAndStopsAtAnError) {
  std::istringstream in(
      "% Ta Tb Te Tf\n"
      "1000000000 1700000000.000100 1700000000.000110 1000220000\n"
      "17000000000 1700000016.000100 1700000016.000110 17000220000\n"
      "bad line here\n"
      "33000000000 1700000032.000100 1700000032.000110 33000220000\n");
  NaiveClock clock(1e-9L);
  std::ostringstream out;
  EXPECT_EQ(replay_radclock_ascii(in, "t.txt", clock, out), 2);
  // Header plus two stamps, then the error stops the replay.
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  EXPECT_NE(text.find("2023-11-14T22:13:36"), std::string::npos);  // the second stamp's Tf
}

}  // namespace
}  // namespace ffclock::sim
