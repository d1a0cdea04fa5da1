// SPDX-License-Identifier: BSD-2-Clause
// Loading leap-seconds.list from disk: the pinned copy, the installed one, and each failure.
#include "platform/leap/leap_file.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

using namespace ffclock;
using namespace ffclock::platform;

namespace {
const std::string kPinned = std::string(FFCLOCK_SOURCE_DIR) + "/tests/data/leap-seconds.list";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_path(const char* tag) {
  return testing::TempDir() + "ffclock_leap_" + tag + "_" +
         std::to_string(::testing::UnitTest::GetInstance()->random_seed());
}
}  // namespace

TEST(LeapFile, LoadsThePinnedCopy) {
  FileLeapSource src(kPinned);
  const auto r = src.load();
  ASSERT_TRUE(r.has_value()) << to_string(r.error().code);
  EXPECT_EQ(r->tai_minus_utc_at(UtcTime::from_unix(1'483'228'800)), 37);
  EXPECT_EQ(r->expiry(), UtcTime::from_unix(1'782'604'800));
}

TEST(LeapFile, DefaultPathIsTzdata) {
  FileLeapSource src;
  EXPECT_EQ(src.path(), "/usr/share/zoneinfo/leap-seconds.list");
  const auto r = src.load();
  if (!r.has_value() && r.error().code == LeapLoadErrc::NotFound) GTEST_SKIP() << "tzdata not installed";
  ASSERT_TRUE(r.has_value()) << to_string(r.error().code);
  EXPECT_EQ(r->tai_minus_utc_at(UtcTime::from_unix(1'483'228'800)), 37);
}

TEST(LeapFile, MissingFileIsNotFound) {
  const auto r = FileLeapSource("/nonexistent/dir/leap-seconds.list").load();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, LeapLoadErrc::NotFound);
  EXPECT_EQ(r.error().sys_errno, ENOENT);
}

TEST(LeapFile, DirectoryIsReadFailed) {
  const auto r = read_leap_file(testing::TempDir());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, LeapLoadErrc::ReadFailed);
  EXPECT_EQ(r.error().sys_errno, EISDIR);
}

TEST(LeapFile, InvalidContentCarriesTheParseError) {
  const std::string path = temp_path("bad");
  { std::ofstream(path) << "#$ 3676924800\nnot a leap file\n"; }
  const auto r = FileLeapSource(path).load();
  std::remove(path.c_str());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, LeapLoadErrc::Invalid);
  EXPECT_EQ(r.error().parse, (core::LeapParseError{core::LeapParseErrc::BadDataLine, 2}));
}

TEST(LeapFile, OversizedFileIsRejected) {
  const std::string path = temp_path("big");
  { std::ofstream(path) << std::string(kMaxLeapFileBytes + 1, '#'); }
  const auto r = read_leap_file(path);
  std::remove(path.c_str());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, LeapLoadErrc::TooLarge);
}

TEST(LeapFile, ReadsTheWholeFileVerbatim) {
  // The pinned copy padded with comments to span several read() calls.
  std::string expected = slurp(kPinned);
  ASSERT_FALSE(expected.empty());
  for (int i = 0; i < 1000; ++i) expected += "#\tpadding comment line " + std::to_string(i) + "\n";
  ASSERT_GT(expected.size(), 3 * 8192u);
  const std::string path = temp_path("padded");
  { std::ofstream(path, std::ios::binary) << expected; }
  const auto text = read_leap_file(path);
  const auto table = FileLeapSource(path).load();
  std::remove(path.c_str());
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text.value(), expected);
  ASSERT_TRUE(table.has_value());
  EXPECT_EQ(table->entries().size(), 28u);
}

TEST(FakeLeapSource, ServesItsTextOrNotFound) {
  FakeLeapSource fake;
  const auto missing = fake.load();
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, LeapLoadErrc::NotFound);
  fake.set_text(slurp(kPinned));
  const auto r = fake.load();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->entries().size(), 28u);
  fake.set_text("garbage\n");
  EXPECT_EQ(fake.load().error().code, LeapLoadErrc::Invalid);
}
