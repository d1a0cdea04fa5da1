// SPDX-License-Identifier: BSD-2-Clause
// The state file: exact round trip, and every way a file can be wrong is refused with a
// reason (so the daemon cold-starts): edits, truncation, garbage, foreign identity, age.
#include "core/state/calibration_state.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace ffclock;
using namespace ffclock::core;

namespace {

CalibrationState sample() {
  CalibrationState s;
  s.identity = CounterIdentity{"tsc", 2'445'400'000, "6d1c8a3e-5b2f-4c1e-9a77-0b3c2d4e5f60", 7};
  s.saved_at = UtcTime::from_unix(1'795'000'000, uint64_t{1} << 63);
  s.period_s = 1.0L / 2'445'412'345.678L;
  s.period_maxerror_rel = 3.25e-8;
  return s;
}

TEST(CalibrationState, RoundTripIsExact) {
  const CalibrationState s = sample();
  const std::string text = encode_state(s);
  const auto r = parse_state(text);
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->identity, s.identity);
  EXPECT_EQ(r->saved_at, s.saved_at);
  EXPECT_EQ(r->period_s, s.period_s);
  EXPECT_EQ(r->period_maxerror_rel, s.period_maxerror_rel);
  CalibrationState no_marker = s;
  no_marker.identity.host_marker.reset();
  no_marker.identity.boot_id.clear();
  const auto r2 = parse_state(encode_state(no_marker));
  ASSERT_TRUE(r2.has_value());
  EXPECT_EQ(r2->identity, no_marker.identity);
}

TEST(CalibrationState, AnyEditOrTruncationIsRefused) {
  const std::string text = encode_state(sample());
  for (std::size_t i = 0; i < text.size(); i += 7) {
    std::string bad = text;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_FALSE(parse_state(bad).has_value()) << "byte " << i;
  }
  for (std::size_t n = 0; n + 1 < text.size(); n += 5) {
    EXPECT_FALSE(parse_state(text.substr(0, n)).has_value()) << "length " << n;
  }
  EXPECT_FALSE(parse_state(std::string(5000, 'x')).has_value());
  EXPECT_FALSE(parse_state("").has_value());
}

TEST(CalibrationState, WellSealedButNonsenseIsRefusedWithTheLine) {
  // A file sealed correctly around bad content (a bug wrote it).
  CalibrationState s = sample();
  s.period_s = 2;  // not a period
  const auto r = parse_state(encode_state(s));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().line, 8u);
  EXPECT_EQ(r.error().reason, "bad period");
}

TEST(CalibrationState, WarmStartOnlyOnTheSameCounterBootAndHost) {
  const CalibrationState s = sample();
  const UtcTime now = s.saved_at + Duration::seconds(3600);
  const Duration week = Duration::seconds(7 * 86400);
  EXPECT_FALSE(warm_start_refusal(s, s.identity, now, week).has_value());
  CounterIdentity other = s.identity;
  other.boot_id = "another";
  EXPECT_EQ(*warm_start_refusal(s, other, now, week), "saved in another boot");
  other = s.identity;
  other.host_marker = 8;
  EXPECT_EQ(*warm_start_refusal(s, other, now, week), "the host's disruption marker changed");
  other = s.identity;
  other.counter = "monotonic_raw";
  EXPECT_TRUE(warm_start_refusal(s, other, now, week).has_value());
  EXPECT_EQ(*warm_start_refusal(s, s.identity, s.saved_at + Duration::seconds(8 * 86400), week),
            "older than the warm-start limit");
  EXPECT_EQ(*warm_start_refusal(s, s.identity, s.saved_at - Duration::seconds(1), week),
            "saved in the future");
}

}  // namespace
