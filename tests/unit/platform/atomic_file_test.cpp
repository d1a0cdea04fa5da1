// SPDX-License-Identifier: BSD-2-Clause
// Atomic replacement of small files and creation of their directories.
#include "platform/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "platform/read_text_file.hpp"

namespace ffclock::platform {
namespace {

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ffclock-atomic-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    const std::string cmd = "rm -rf '" + dir_ + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
  }
  std::string dir_;
};

TEST_F(AtomicFileTest, ReplacesTheContentAndLeavesNoTemporary) {
  const std::string path = dir_ + "/sources";
  ASSERT_TRUE(write_file_atomically(path, "first"));
  ASSERT_TRUE(write_file_atomically(path, "second, longer"));
  auto text = read_text_file(path, 1024);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "second, longer");
  EXPECT_NE(access((path + ".tmp").c_str(), F_OK), 0);
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(AtomicFileTest, AMissingDirectoryIsAnError) {
  auto r = write_file_atomically(dir_ + "/no/such/dir/file", "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ENOENT);
}

TEST_F(AtomicFileTest, MakesMissingParentDirectoriesWithMode0755) {
  const std::string path = dir_ + "/a/b/page";
  ASSERT_TRUE(make_parent_directories(path));
  ASSERT_TRUE(make_parent_directories(path));  // existing: fine
  struct stat st {};
  ASSERT_EQ(stat((dir_ + "/a/b").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  const mode_t mask = umask(0);
  umask(mask);
  EXPECT_EQ(st.st_mode & 0777, 0755u & ~mask);
  EXPECT_TRUE(make_parent_directories("page"));  // no directory part
}

TEST_F(AtomicFileTest, AFileInTheWayOfADirectoryIsAnError) {
  ASSERT_TRUE(write_file_atomically(dir_ + "/f", "x"));
  EXPECT_FALSE(make_parent_directories(dir_ + "/f/page"));
}

}  // namespace
}  // namespace ffclock::platform
