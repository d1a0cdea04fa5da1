// SPDX-License-Identifier: BSD-2-Clause
// Smeared and leap views through the reader, at the leap and +-1 s, for every smear kind,
// from a page that announces the 2027-01-01 insertion (hypothetical, TAI-UTC 37 -> 38).
#include "page_fixture.hpp"

using namespace ffclock;
using namespace ffclock::testing;

namespace {

constexpr uint64_t kTicksPerSecond = uint64_t{1} << 30;  // period exactly 2^-30 s
constexpr CounterPeriod kPow2Period{uint64_t{1} << 63, 29};
constexpr uint64_t kAnchor = 1'000'000'000'000ull;

struct LeapPage {
  MemoryPage mp;
  Clock clock;
  explicit LeapPage(SmearKind hint = SmearKind::NoonLinear,
                    SmearWindow window = standard_window(SmearKind::NoonLinear))
      : clock(publish(mp, hint, window)) {}
  static Clock publish(MemoryPage& mp, SmearKind hint, SmearWindow window) {
    mp.counter.set(kAnchor);
    auto in = synced_input(kAnchor, UtcTime::from_unix(kNoonBeforeLeap));
    in.params.period = in.params.local_period = kPow2Period;
    in.next_leap = core::LeapSchedule{LeapEvent{kLeapUtc, 1, 38}, hint, window};
    in.stale_after = in.void_after = Duration::seconds(200'000);
    mp.writer.publish(in);
    return mp.reader();
  }
  // Puts the counter at τ = L + rel seconds (τ: TAI minus the pre-leap offset 37).
  void at(double rel) {
    const double since_anchor = static_cast<double>(kLeapUtc - kNoonBeforeLeap) + rel;
    mp.counter.set(kAnchor + static_cast<uint64_t>(since_anchor * static_cast<double>(kTicksPerSecond)));
  }
  double smeared_rel(SmearKind k) {
    const auto s = clock.smeared(k);
    EXPECT_TRUE(s.has_value());
    return (*s - UtcTime::from_unix(kLeapUtc)).to_seconds();
  }
};

TEST(LeapReader, UnsmearedUtcAndLeapState) {
  LeapPage p;
  p.at(-1);
  auto r = p.clock.read();
  EXPECT_EQ(r->utc, UtcTime::from_unix(kLeapUtc - 1));  // 23:59:59
  EXPECT_EQ(r->tai_minus_utc, 37);
  EXPECT_EQ(r->leap, LeapState::PendingInsert);
  p.at(0.5);  // inside 23:59:60
  r = p.clock.read();
  EXPECT_EQ(r->utc, UtcTime::from_unix(kLeapUtc - 1) + Duration::milliseconds(500));  // POSIX repeats :59
  EXPECT_EQ(r->leap, LeapState::Inserting);
  EXPECT_EQ(r->tai, TaiTime::from_unix(kLeapUtc + 37) + Duration::milliseconds(500));
  p.at(1);
  r = p.clock.read();
  EXPECT_EQ(r->utc, UtcTime::from_unix(kLeapUtc));  // 00:00:00
  EXPECT_EQ(r->tai_minus_utc, 38);
  EXPECT_EQ(r->leap, LeapState::PostInsert);
  EXPECT_NEAR(p.smeared_rel(SmearKind::None), 0.0, 1e-12);
}

TEST(LeapReader, NoonLinearAroundTheLeap) {
  LeapPage p;
  p.at(-1);
  EXPECT_NEAR(p.smeared_rel(SmearKind::NoonLinear), -1.0 - 43'199.0 / 86'401.0, 1e-9);
  p.at(0);  // start of 23:59:60: reads 23:59:59.500006
  EXPECT_NEAR(p.smeared_rel(SmearKind::NoonLinear), -43'200.0 / 86'401.0, 1e-9);
  EXPECT_NEAR(p.smeared_rel(SmearKind::NoonLinear), -0.499994, 1e-6);
  p.at(1);  // 00:00:00 UTC: reads 00:00:00.499994
  EXPECT_NEAR(p.smeared_rel(SmearKind::NoonLinear), 1.0 - 43'201.0 / 86'401.0, 1e-9);
  EXPECT_NEAR(p.smeared_rel(SmearKind::NoonLinear), 0.499994, 1e-6);
}

TEST(LeapReader, UtcSlsAroundTheLeap) {
  LeapPage p;
  p.at(-1);
  EXPECT_NEAR(p.smeared_rel(SmearKind::UtcSls), -1.0 - 999.0 / 1001.0, 1e-9);
  p.at(0);
  EXPECT_NEAR(p.smeared_rel(SmearKind::UtcSls), -1000.0 / 1001.0, 1e-9);
  p.at(1);  // the smear ends at midnight UTC
  EXPECT_NEAR(p.smeared_rel(SmearKind::UtcSls), 0.0, 1e-9);
  p.at(2);
  EXPECT_NEAR(p.smeared_rel(SmearKind::UtcSls), 1.0, 1e-9);
}

TEST(LeapReader, CosineAroundTheLeap) {
  LeapPage p;
  double prev = -1e9;
  for (double rel : {-1.0, -0.5, 0.0, 0.5, 1.0}) {
    p.at(rel);
    const double s = p.smeared_rel(SmearKind::Cosine);
    EXPECT_GT(s, prev) << rel;
    prev = s;
    // Within half a second of both pre-leap and post-leap UTC in the middle of the window.
    EXPECT_LE(s, rel + 1e-9) << rel;
    EXPECT_GE(s, rel - 1.0 - 1e-9) << rel;
  }
  p.at(0.5);  // the midpoint of the noon-to-noon τ window: f = 1/2 exactly
  EXPECT_NEAR(p.smeared_rel(SmearKind::Cosine), 0.0, 1e-9);
}

TEST(LeapReader, PageWindowUsedForItsKind) {
  LeapPage p(SmearKind::UtcSls, SmearWindow{-2000, 0});
  p.at(0);
  EXPECT_NEAR(p.smeared_rel(SmearKind::UtcSls), -2000.0 / 2001.0, 1e-9);
  // Other kinds still use their standard windows.
  EXPECT_NEAR(p.smeared_rel(SmearKind::NoonLinear), -43'200.0 / 86'401.0, 1e-9);
}

TEST(LeapReader, PublishedClockIsNeverSmeared) {
  LeapPage p;
  p.at(0);
  const auto* v = reinterpret_cast<const ffclock_vmclock_abi*>(p.mp.buf->bytes);
  EXPECT_EQ(v->time_type, FFCLOCK_TIME_TAI);
  EXPECT_EQ(v->leap_second_smearing_hint, FFCLOCK_SMEAR_HINT_NOON_LINEAR);  // a hint only
  EXPECT_EQ(p.clock.read()->tai, TaiTime::from_unix(kLeapUtc + 37));
}

}  // namespace
