// SPDX-License-Identifier: BSD-2-Clause
// Strict duration text: "<number><unit>".
#include "core/time/duration_text.hpp"

#include <gtest/gtest.h>

namespace ffclock::core {
namespace {

int64_t ns(std::string_view text) {
  const auto d = parse_duration(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d ? d->to_nanoseconds() : -1;
}

DurationTextError err(std::string_view text) {
  const auto d = parse_duration(text);
  EXPECT_FALSE(d.has_value()) << text;
  return d ? DurationTextError::Empty : d.error();
}

TEST(DurationText, EveryUnit) {
  EXPECT_EQ(ns("7ns"), 7);
  EXPECT_EQ(ns("500us"), 500'000);
  EXPECT_EQ(ns("1ms"), 1'000'000);
  EXPECT_EQ(ns("60s"), 60'000'000'000);
  EXPECT_EQ(ns("2m"), 120'000'000'000);
  EXPECT_EQ(ns("3h"), 10'800'000'000'000);
  EXPECT_EQ(ns("0s"), 0);
}

TEST(DurationText, Fractions) {
  EXPECT_EQ(ns("1.5s"), 1'500'000'000);
  EXPECT_EQ(ns("0.25ms"), 250'000);
  EXPECT_EQ(ns("1.000000001s"), 1'000'000'001);
  EXPECT_EQ(ns("0.5h"), 1'800'000'000'000);
  EXPECT_EQ(ns("0.4ns"), 0);  // below a nanosecond: rounded
  EXPECT_EQ(ns("1.5ns"), 2);
}

TEST(DurationText, RejectsSloppyText) {
  EXPECT_EQ(err(""), DurationTextError::Empty);
  EXPECT_EQ(err("ms"), DurationTextError::NoNumber);
  EXPECT_EQ(err("-1s"), DurationTextError::NoNumber);
  EXPECT_EQ(err("+1s"), DurationTextError::NoNumber);
  EXPECT_EQ(err(" 1s"), DurationTextError::NoNumber);
  EXPECT_EQ(err(".5s"), DurationTextError::NoNumber);
  EXPECT_EQ(err("1.s"), DurationTextError::BadNumber);
  EXPECT_EQ(err("1.0000000001s"), DurationTextError::BadNumber);
  EXPECT_EQ(err("60"), DurationTextError::MissingUnit);
  EXPECT_EQ(err("1.5"), DurationTextError::MissingUnit);
  EXPECT_EQ(err("1 s"), DurationTextError::UnknownUnit);
  EXPECT_EQ(err("1sec"), DurationTextError::UnknownUnit);
  EXPECT_EQ(err("1S"), DurationTextError::UnknownUnit);
  EXPECT_EQ(err("1e3s"), DurationTextError::UnknownUnit);
  EXPECT_EQ(err("1s "), DurationTextError::UnknownUnit);
  EXPECT_EQ(err("1ms5"), DurationTextError::UnknownUnit);
}

TEST(DurationText, RangeIsChecked) {
  // The limit is 100 years of 366 days: 3 162 240 000 s = 878 400 h.
  EXPECT_EQ(ns("878400h"), int64_t{3'162'240'000} * 1'000'000'000);
  EXPECT_EQ(err("878401h"), DurationTextError::TooLarge);
  EXPECT_EQ(err("9223372036854775807ns"), DurationTextError::TooLarge);
  EXPECT_EQ(err("1000000000000000000000000000000s"), DurationTextError::TooLarge);
}

TEST(DurationText, EveryErrorHasAMessage) {
  for (auto e :
       {DurationTextError::Empty, DurationTextError::NoNumber, DurationTextError::BadNumber,
        DurationTextError::MissingUnit, DurationTextError::UnknownUnit, DurationTextError::TooLarge}) {
    EXPECT_STRNE(to_string(e), "invalid duration");
  }
}

}  // namespace
}  // namespace ffclock::core
