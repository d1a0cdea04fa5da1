// SPDX-License-Identifier: BSD-2-Clause
#include "sim/input_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/platform/temp_file.hpp"

namespace ffclock::sim {
namespace {

using ffclock::test::TempFile;

TEST(InputFile, ReadsARegularFile) {
  const TempFile f("name = \"x\"\n");
  const auto text = read_input_file(f.path());
  ASSERT_TRUE(text.has_value()) << text.error();
  EXPECT_EQ(*text, "name = \"x\"\n");
}

TEST(InputFile, RefusesAFileOverTheLimit) {
  const TempFile f(std::string(100, 'x'));
  const auto text = read_input_file(f.path(), 99);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error(), "larger than 99 bytes");
  EXPECT_TRUE(read_input_file(f.path(), 100).has_value());
}

TEST(InputFile, RefusesDevicesDirectoriesAndMissingFiles) {
  // /dev/zero would never end; a directory is not an input.
  EXPECT_EQ(read_input_file("/dev/zero").error(), "not a regular file");
  EXPECT_EQ(read_input_file("/").error(), "is a directory, not a file");
  EXPECT_EQ(read_input_file("/nonexistent/ffclock/no-such-file").error(), "No such file or directory");
}

TEST(InputFile, RefusesAFifoWithoutBlocking) {
  // Opening a FIFO nobody writes to would block a plain open() forever.
  const TempFile placeholder("");
  const std::string fifo = placeholder.path() + ".fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const auto text = read_input_file(fifo);
  unlink(fifo.c_str());
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error(), "not a regular file");
}

}  // namespace
}  // namespace ffclock::sim
