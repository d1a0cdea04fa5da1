// SPDX-License-Identifier: BSD-2-Clause
// leap-seconds.list parsing and the leap table's queries: the installed tzdata copy, the
// pinned copy in tests/data, and small hand-made files for every rejection.
#include "core/leap/leap_table.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace ffclock;
using namespace ffclock::core;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kPinnedPath = std::string(FFCLOCK_SOURCE_DIR) + "/tests/data/leap-seconds.list";
const std::string kInstalledPath = "/usr/share/zoneinfo/leap-seconds.list";

constexpr int64_t k1972 = 63'072'000;             // 1972-01-01
constexpr int64_t k1972Jul = 78'796'800;          // 1972-07-01
constexpr int64_t k2012Jul = 1'341'100'800;       // 2012-07-01
constexpr int64_t k2017 = 1'483'228'800;          // 2017-01-01
constexpr int64_t kPinnedExpiry = 1'782'604'800;  // 2026-06-28, #@ 3991593600
constexpr int64_t kPinnedUpdate = 1'751'846'400;  // 2025-07-07, #$ 3960835200

UtcTime utc(int64_t s, int64_t ms = 0) { return UtcTime::from_unix(s) + Duration::milliseconds(ms); }

// Checks that hold for any genuine IERS table published since 2016.
void expect_real_history(const LeapTable& t) {
  ASSERT_GE(t.entries().size(), 28u);
  EXPECT_EQ(t.entries().front(), (LeapTable::Entry{k1972, 10}));
  EXPECT_EQ(t.tai_minus_utc_at(utc(k1972)), 10);
  EXPECT_EQ(t.tai_minus_utc_at(utc(k2012Jul - 1, 999)), 34);
  EXPECT_EQ(t.tai_minus_utc_at(utc(k2012Jul)), 35);
  EXPECT_EQ(t.tai_minus_utc_at(utc(k2017 - 1, 500)), 36);
  EXPECT_EQ(t.tai_minus_utc_at(utc(k2017)), 37);
  EXPECT_EQ(t.tai_minus_utc_at(utc(k2017 + 86400 * 365)), 37);
  const auto ev = t.next_event_after(utc(k2017 - 86400 * 30));
  ASSERT_TRUE(ev.has_value());
  EXPECT_EQ(*ev, (LeapEvent{k2017, +1, 37}));
  const auto prev = t.last_event_at_or_before(utc(k2017 + 3600));
  ASSERT_TRUE(prev.has_value());
  EXPECT_EQ(*prev, (LeapEvent{k2017, +1, 37}));
  EXPECT_TRUE(t.has_hash());
  EXPECT_GT(t.expiry(), t.last_update());
}

// A three-entry file with a valid hash; {update, expiry, data..., hash} are substituted.
constexpr const char* kGood =
    "# a hand-made leap-seconds.list\n"
    "#\n"
    "#$\t3676924800\n"
    "#@\t3707596800\n"
    "#NTP Time      DTAI    Day Month Year\n"
    "2272060800      10      # 1 Jan 1972\n"
    "2287785600      11      # 1 Jul 1972\n"
    "\n"
    "2303683200      12      # 1 Jan 1973\n"
    "#h\tf00498b7 6edf34b1 87b24570 43751e8a d23b7d9e\n";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

LeapParseError error_of(const std::string& text, LeapParseOptions options = {}) {
  const auto r = LeapTable::parse(text, options);
  EXPECT_FALSE(r.has_value()) << text;
  return r.has_value() ? LeapParseError{LeapParseErrc::HashMismatch, 9999} : r.error();
}

}  // namespace

TEST(LeapTableFiles, PinnedCopyParses) {
  const std::string text = read_text(kPinnedPath);
  ASSERT_FALSE(text.empty()) << kPinnedPath;
  const auto r = LeapTable::parse(text);
  ASSERT_TRUE(r.has_value()) << to_string(r.error().code) << " line " << r.error().line;
  expect_real_history(*r);
  EXPECT_EQ(r->entries().size(), 28u);
  EXPECT_EQ(r->expiry(), utc(kPinnedExpiry));
  EXPECT_EQ(r->last_update(), utc(kPinnedUpdate));
  // The pinned copy is expired from 2026-06-28; callers must still get the data.
  EXPECT_FALSE(r->expired(utc(kPinnedExpiry - 1)));
  EXPECT_TRUE(r->expired(utc(kPinnedExpiry)));
  EXPECT_FALSE(r->next_event_after(utc(k2017)).has_value());
}

TEST(LeapTableFiles, InstalledTzdataCopyParses) {
  const std::string text = read_text(kInstalledPath);
  if (text.empty()) GTEST_SKIP() << kInstalledPath << " not installed";
  const auto r = LeapTable::parse(text);
  ASSERT_TRUE(r.has_value()) << to_string(r.error().code) << " line " << r.error().line;
  expect_real_history(*r);
  // Whatever the tzdata version, its expiry is a real date after the pinned copy's update.
  EXPECT_GE(r->expiry(), utc(kPinnedExpiry));
}

TEST(LeapTableQueries, TaiInstantsAcrossTheInsertedSecond) {
  const auto r = LeapTable::parse(read_text(kPinnedPath));
  ASSERT_TRUE(r.has_value());
  const LeapTable& t = *r;
  const TaiTime start_of_60 = TaiTime::from_unix(k2017 - 1 + 37);  // 23:59:60 in TAI
  EXPECT_EQ(t.tai_minus_utc_at(start_of_60 - Duration::from_fixed(1)), 36);
  EXPECT_EQ(t.tai_minus_utc_at(start_of_60), 37);
  EXPECT_EQ(t.utc_at(start_of_60 + Duration::milliseconds(500)), utc(k2017 - 1, 500));  // repeats 23:59:59
  EXPECT_EQ(t.utc_at(start_of_60 + Duration::seconds(1)), utc(k2017));
  // Before 23:59:60 the leap is still ahead; from it on, it is the latest one.
  EXPECT_EQ(t.next_event_after(start_of_60 - Duration::milliseconds(1)), (LeapEvent{k2017, +1, 37}));
  EXPECT_FALSE(t.next_event_after(start_of_60).has_value());
  EXPECT_EQ(t.last_event_at_or_before(start_of_60), (LeapEvent{k2017, +1, 37}));
  EXPECT_EQ(t.last_event_at_or_before(start_of_60 - Duration::milliseconds(1)),
            (LeapEvent{1'435'708'800, +1, 36}));  // 2015-07-01
}

TEST(LeapTableQueries, AgreesWithTheEventViewAroundEveryLeap) {
  const auto r = LeapTable::parse(read_text(kPinnedPath));
  ASSERT_TRUE(r.has_value());
  const LeapTable& t = *r;
  for (size_t i = 1; i < t.entries().size(); ++i) {
    const auto ev = t.last_event_at_or_before(utc(t.entries()[i].utc_s));
    ASSERT_TRUE(ev.has_value());
    EXPECT_EQ(ev->leap_utc_s, t.entries()[i].utc_s);
    const TaiTime around = to_tai(utc(ev->leap_utc_s), ev->tai_minus_utc_after);
    for (int64_t ms = -3000; ms <= 3000; ms += 125) {
      const TaiTime tai = around + Duration::milliseconds(ms);
      EXPECT_EQ(t.utc_at(tai), utc_from_tai(tai, *ev)) << i << " " << ms;
    }
  }
}

TEST(LeapTableQueries, BeforeAndAfterTheTable) {
  const auto r = LeapTable::parse(read_text(kPinnedPath));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->tai_minus_utc_at(utc(0)), 10);  // 1970: clamped to the first entry
  EXPECT_FALSE(r->last_event_at_or_before(utc(k1972Jul - 1)).has_value());
  EXPECT_EQ(r->next_event_after(utc(0)), (LeapEvent{k1972Jul, +1, 11}));
  EXPECT_EQ(r->next_event_after(utc(k1972)), (LeapEvent{k1972Jul, +1, 11}));
  EXPECT_EQ(r->next_event_after(TaiTime::from_unix(0)), (LeapEvent{k1972Jul, +1, 11}));
}

TEST(LeapListParse, HandMadeGoodFile) {
  const auto r = LeapTable::parse(kGood);
  ASSERT_TRUE(r.has_value()) << to_string(r.error().code) << " line " << r.error().line;
  ASSERT_EQ(r->entries().size(), 3u);
  EXPECT_EQ(r->entries()[2], (LeapTable::Entry{94'694'400, 12}));  // 1973-01-01
  EXPECT_EQ(r->last_update(), utc(3'676'924'800 - kNtpToUnixSeconds));
  EXPECT_EQ(r->expiry(), utc(3'707'596'800 - kNtpToUnixSeconds));
  EXPECT_EQ(r->tai_minus_utc_at(utc(94'694'400 - 1)), 11);
  EXPECT_EQ(r->tai_minus_utc_at(utc(94'694'400)), 12);
}

TEST(LeapListParse, CrlfLineEndingsAndIndentedComments) {
  std::string text;
  for (char c : std::string(kGood)) {
    if (c == '\n') text += '\r';
    text += c;
  }
  text += "   # indented comment\r\n\t\r\n";
  const auto r = LeapTable::parse(text);
  ASSERT_TRUE(r.has_value()) << to_string(r.error().code) << " line " << r.error().line;
  EXPECT_EQ(r->entries().size(), 3u);
}

TEST(LeapListParse, NegativeLeapAndShortHashWords) {
  // Offsets 10, 11, 10; the first hash word 0c4a8cb8 written without its leading zero.
  std::string text = replace(kGood, "2303683200      12", "2303683200      10");
  text = replace(text, "f00498b7 6edf34b1 87b24570 43751e8a d23b7d9e",
                 "c4a8cb8 b1cc440c 8a2955b5 72aa0364 bad08c0f");
  const auto r = LeapTable::parse(text);
  ASSERT_TRUE(r.has_value()) << to_string(r.error().code) << " line " << r.error().line;
  const auto ev = r->next_event_after(utc(k1972Jul));
  ASSERT_TRUE(ev.has_value());
  EXPECT_EQ(*ev, (LeapEvent{94'694'400, -1, 10}));
  // A deleted second: 23:59:59 never happens, the TAI offset switches at 23:59:59 TAI-wise.
  const TaiTime deleted = to_tai(utc(94'694'400 - 1), 11);
  EXPECT_EQ(r->utc_at(deleted - Duration::milliseconds(1)), utc(94'694'400 - 1) - Duration::milliseconds(1));
  EXPECT_EQ(r->utc_at(deleted), utc(94'694'400));
}

TEST(LeapListParse, DatesBeyond2036AreSixtyFourBit) {
  std::string text =
      replace(kGood, "2303683200      12      # 1 Jan 1973", "4417977600      12      # 1 Jan 2040");
  text = replace(text, "#@\t3707596800", "#@\t4433443200");
  text = replace(text, "f00498b7 6edf34b1 87b24570 43751e8a d23b7d9e",
                 "2920943b 6c833b5f e8a6460a 7896b174 73d1fc28");
  const auto r = LeapTable::parse(text);
  ASSERT_TRUE(r.has_value()) << to_string(r.error().code) << " line " << r.error().line;
  EXPECT_EQ(r->next_event_after(utc(k2017)), (LeapEvent{2'208'988'800, +1, 12}));
  EXPECT_EQ(r->expiry(), utc(2'224'454'400));
}

TEST(LeapListParse, HashMismatchIsRejected) {
  EXPECT_EQ(error_of(replace(kGood, "d23b7d9e", "d23b7d9f")),
            (LeapParseError{LeapParseErrc::HashMismatch, 0}));
  // Content changed, hash kept: a leap moved by one day.
  EXPECT_EQ(error_of(replace(kGood, "2287785600", "2287872000")).code, LeapParseErrc::HashMismatch);
  EXPECT_EQ(error_of(replace(kGood, "#$\t3676924800", "#$\t3676838400")).code, LeapParseErrc::HashMismatch);
}

TEST(LeapListParse, MissingSpecialLines) {
  EXPECT_EQ(error_of(replace(kGood, "#@\t3707596800\n", "")),
            (LeapParseError{LeapParseErrc::MissingExpiry, 0}));
  EXPECT_EQ(error_of(replace(kGood, "#$\t3676924800\n", "")),
            (LeapParseError{LeapParseErrc::MissingLastUpdate, 0}));
  const std::string no_hash = replace(kGood, "#h\tf00498b7 6edf34b1 87b24570 43751e8a d23b7d9e\n", "");
  EXPECT_EQ(error_of(no_hash), (LeapParseError{LeapParseErrc::MissingHash, 0}));
  const auto lenient = LeapTable::parse(no_hash, LeapParseOptions{.require_hash = false});
  ASSERT_TRUE(lenient.has_value());
  EXPECT_FALSE(lenient->has_hash());
  EXPECT_EQ(error_of(""), (LeapParseError{LeapParseErrc::MissingLastUpdate, 0}));
  EXPECT_EQ(error_of("#$ 3676924800\n#@ 3707596800\n#h 1 2 3 4 5\n"),
            (LeapParseError{LeapParseErrc::NoEntries, 0}));
}

TEST(LeapListParse, MalformedLinesNameTheLine) {
  EXPECT_EQ(error_of("hello world\n"), (LeapParseError{LeapParseErrc::BadDataLine, 1}));
  EXPECT_EQ(error_of(std::string("\x01\xff garbage \x7f", 13)),
            (LeapParseError{LeapParseErrc::BadDataLine, 1}));
  EXPECT_EQ(error_of(replace(kGood, "2287785600      11", "2287785600")),
            (LeapParseError{LeapParseErrc::BadDataLine, 7}));
  EXPECT_EQ(error_of(replace(kGood, "2287785600      11", "2287785600 11 12")).code,
            LeapParseErrc::BadDataLine);
  EXPECT_EQ(error_of(replace(kGood, "2287785600      11", "2287785600 eleven")).code,
            LeapParseErrc::BadDataLine);
  EXPECT_EQ(error_of(replace(kGood, "2287785600      11", "-2287785600 11")).code,
            LeapParseErrc::BadDataLine);
  EXPECT_EQ(error_of(replace(kGood, "#$\t3676924800", "#$\tsoon")),
            (LeapParseError{LeapParseErrc::BadSpecialLine, 3}));
  EXPECT_EQ(error_of(replace(kGood, "#@\t3707596800", "#@ 3707596800 3707596800")).code,
            LeapParseErrc::BadSpecialLine);
  EXPECT_EQ(error_of(replace(kGood, "#@\t3707596800", "#@\t3707596800\n#@\t3707596800")),
            (LeapParseError{LeapParseErrc::DuplicateSpecialLine, 5}));
}

TEST(LeapListParse, BadHashLines) {
  const std::string words = "f00498b7 6edf34b1 87b24570 43751e8a d23b7d9e";
  EXPECT_EQ(error_of(replace(kGood, words, "f00498b7 6edf34b1 87b24570 43751e8a")).code,
            LeapParseErrc::BadHashLine);
  EXPECT_EQ(error_of(replace(kGood, words, words + " 00")).code, LeapParseErrc::BadHashLine);
  EXPECT_EQ(error_of(replace(kGood, words, "0f00498b7 6edf34b1 87b24570 43751e8a d23b7d9e")).code,
            LeapParseErrc::BadHashLine);  // nine digits
  EXPECT_EQ(error_of(replace(kGood, words, "g00498b7 6edf34b1 87b24570 43751e8a d23b7d9e")).code,
            LeapParseErrc::BadHashLine);
  EXPECT_EQ(error_of(replace(kGood, "#h\t" + words, "#h\t" + words + "\n#h\t" + words)).code,
            LeapParseErrc::DuplicateSpecialLine);
}

TEST(LeapListParse, InconsistentContent) {
  EXPECT_EQ(error_of(replace(kGood, "2303683200      12", "2287785600      12")),
            (LeapParseError{LeapParseErrc::NonMonotonicDates, 9}));
  EXPECT_EQ(error_of(replace(kGood, "2303683200      12", "2303683200      13")),
            (LeapParseError{LeapParseErrc::BadOffsetStep, 9}));
  EXPECT_EQ(error_of(replace(kGood, "2303683200      12", "2303683200      11")).code,
            LeapParseErrc::BadOffsetStep);
  EXPECT_EQ(error_of(replace(kGood, "2303683200      12", "2303683201      12")),
            (LeapParseError{LeapParseErrc::NotMidnight, 9}));
  EXPECT_EQ(error_of(replace(kGood, "2303683200      12", "99999999999999999999 12")).code,
            LeapParseErrc::NumberOutOfRange);
  EXPECT_EQ(error_of(replace(kGood, "2303683200      12", "2303683200      123456789")).code,
            LeapParseErrc::NumberOutOfRange);
  EXPECT_EQ(error_of(replace(kGood, "#@\t3707596800", "#@\t3676924800")).code,
            LeapParseErrc::ExpiryBeforeUpdate);
}

TEST(LeapListParse, EveryErrorHasAMessage) {
  for (int c = 0; c <= static_cast<int>(LeapParseErrc::HashMismatch); ++c) {
    const std::string_view msg = to_string(static_cast<LeapParseErrc>(c));
    EXPECT_FALSE(msg.empty());
    EXPECT_NE(msg, "unknown leap-seconds.list error") << c;
  }
}

// The fuzz seeds cover both outcomes: the good ones must parse (so the fuzzer starts from
// accepted tables), the bad ones must fail for the reason their name gives.
TEST(LeapListParse, FuzzSeedsParseAsLabelled) {
  const std::string dir = std::string(FFCLOCK_SOURCE_DIR) + "/fuzz/corpus/leap_list/";
  for (const char* good :
       {"tzdata_2025b.list", "small_good.list", "negative_leap.list", "beyond_2036_crlf.list"}) {
    const auto r = LeapTable::parse(read_text(dir + good));
    EXPECT_TRUE(r.has_value()) << good << ": " << (r ? "" : to_string(r.error().code));
  }
  EXPECT_EQ(error_of(read_text(dir + "bad_hash.list")).code, LeapParseErrc::HashMismatch);
  EXPECT_EQ(error_of(read_text(dir + "garbage.list")).code, LeapParseErrc::BadDataLine);
}
