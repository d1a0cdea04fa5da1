// SPDX-License-Identifier: BSD-2-Clause
// Text-file reads: content, first-line trimming, and error values for missing or odd paths.
#include "platform/read_text_file.hpp"

#include <gtest/gtest.h>

#include "temp_file.hpp"

using namespace ffclock::platform;
using ffclock::test::TempFile;

TEST(ReadTextFile, ReadsWholeFile) {
  const TempFile f("tsc\nsecond line\n");
  ASSERT_FALSE(f.path().empty());
  auto text = read_text_file(f.path());
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text.value(), "tsc\nsecond line\n");
}

TEST(ReadTextFile, MissingFileIsNotFoundNotACrash) {
  auto text = read_text_file("/nonexistent/ffclock/no-such-file");
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().kind, FileErrorKind::NotFound);
  EXPECT_EQ(text.error().path, "/nonexistent/ffclock/no-such-file");
  EXPECT_NE(text.error().message().find("not found"), std::string::npos);
}

TEST(ReadTextFile, DirectoryIsAnIoError) {
  auto text = read_text_file("/");
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().kind, FileErrorKind::IoError);
  EXPECT_NE(text.error().error_number, 0);
}

TEST(ReadTextFile, LargerThanLimitIsRefused) {
  const TempFile f(std::string(100, 'x'));
  auto text = read_text_file(f.path(), 10);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().kind, FileErrorKind::TooLarge);
  EXPECT_TRUE(read_text_file(f.path(), 100).has_value());
}

TEST(ReadFirstLine, TrimsLikeASysfsAttribute) {
  const TempFile f("  kvm-clock \r\nrest\n");
  auto line = read_first_line(f.path());
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line.value(), "kvm-clock");

  const TempFile empty("");
  auto none = read_first_line(empty.path());
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none.value(), "");
}

TEST(PathExists, TellsPresentFromAbsent) {
  const TempFile f("x");
  EXPECT_TRUE(path_exists(f.path()));
  EXPECT_TRUE(path_exists("/"));
  EXPECT_FALSE(path_exists("/nonexistent/ffclock/vmclock0"));
}
