// SPDX-License-Identifier: BSD-2-Clause
// The Block device: scheduled I/O at the lowest priority, atomic I/O without yielding,
// argument checks, error propagation, and the file-backed store of the Linux backend.
#include "runtime/block_device.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "runtime/linux/linux_backend.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/sim/memory_block_store.hpp"
#include "sim_fixture.hpp"

namespace ffclock::runtime {
namespace {

using testing::SimFixture;
using Log = std::vector<std::string>;
constexpr std::size_t kPage = 512;

class BlockDeviceTest : public SimFixture {
 protected:
  BlockDeviceTest() {
    auto s = std::make_unique<MemoryBlockStore>(kPage, 8);
    store = s.get();
    dev = std::make_unique<BlockDevice>(sched, std::move(s));
  }
  MemoryBlockStore* store = nullptr;
  std::unique_ptr<BlockDevice> dev;
};

std::vector<std::byte> page_of(char c, std::size_t n = kPage) {
  return std::vector<std::byte>(n, static_cast<std::byte>(c));
}

Task<void> scheduled_writer(BlockDevice& dev, MemoryBlockStore& store, Log& log) {
  log.push_back("W asks");
  const auto page = page_of('w');
  auto r = co_await dev.write(kPage, page);
  EXPECT_TRUE(r);
  log.push_back("W done, writes=" + std::to_string(store.writes()));
}

Task<void> chatty(Scheduler& s, MemoryBlockStore& store, Log& log, int turns) {
  for (int i = 0; i < turns; ++i) {
    log.push_back("B writes=" + std::to_string(store.writes()));
    co_await s.yield();
  }
}

Task<void> writer_and_chatty(Scheduler& s, BlockDevice& dev, MemoryBlockStore& store, Log& log) {
  auto w = s.spawn(scheduled_writer(dev, store, log));
  auto b = s.spawn(chatty(s, store, log, 3));
  (void)co_await w.join();
  (void)co_await b.join();
}

TEST_F(BlockDeviceTest, ScheduledWritesWaitWhileAnyOtherTaskIsReady) {
  Log log;
  ASSERT_TRUE(sched.run(writer_and_chatty(sched, *dev, *store, log)));
  EXPECT_EQ(log, (Log{"W asks", "B writes=0", "B writes=0", "B writes=0", "W done, writes=1"}));
  EXPECT_EQ(store->bytes()[kPage], std::byte{'w'});
  EXPECT_EQ(store->bytes()[0], std::byte{0});
}

Task<void> atomic_writer(BlockDevice& dev, Log& log) {
  log.push_back("A before");
  const auto page = page_of('a');
  EXPECT_TRUE(dev.atomic_write(0, page));
  std::vector<std::byte> back(kPage);
  EXPECT_TRUE(dev.atomic_read(0, back));
  EXPECT_EQ(back, page);
  log.push_back("A after");
  co_return;
}

Task<void> bystander(Log& log) {
  log.push_back("B");
  co_return;
}

Task<void> atomic_and_bystander(Scheduler& s, BlockDevice& dev, Log& log) {
  auto a = s.spawn(atomic_writer(dev, log));
  auto b = s.spawn(bystander(log));
  (void)co_await a.join();
  (void)co_await b.join();
}

TEST_F(BlockDeviceTest, AtomicIoRunsAtOnceWithoutYielding) {
  Log log;
  ASSERT_TRUE(sched.run(atomic_and_bystander(sched, *dev, log)));
  EXPECT_EQ(log, (Log{"A before", "A after", "B"}));
  EXPECT_EQ(store->writes(), 1);
  EXPECT_EQ(store->reads(), 1);
}

Task<void> read_while_others_sleep(Scheduler& s, BlockDevice& dev, int64_t& read_at_ms,
                                   int64_t& slept_until_ms) {
  struct Sleeper {
    static Task<void> run(Scheduler& sc, int64_t& until) {
      co_await sc.sleep_for(std::chrono::milliseconds(10));
      until = SimFixture::ms_since_start(sc.now());
    }
  };
  auto sl = s.spawn(Sleeper::run(s, slept_until_ms));
  std::vector<std::byte> buf(2 * kPage);
  auto r = co_await dev.read(0, buf);  // multi-page
  EXPECT_TRUE(r);
  read_at_ms = SimFixture::ms_since_start(s.now());
  (void)co_await sl.join();
}

TEST_F(BlockDeviceTest, ScheduledIoRunsWhileTheOnlyOtherTaskSleeps) {
  int64_t read_at = -1;
  int64_t slept_until = -1;
  ASSERT_TRUE(sched.run(read_while_others_sleep(sched, *dev, read_at, slept_until)));
  EXPECT_EQ(read_at, 0);  // done before the sleeper's timer, not after it
  EXPECT_EQ(slept_until, 10);
}

Task<void> bad_scheduled(BlockDevice& dev, std::vector<BlockErrc>& errs) {
  std::vector<std::byte> page(kPage);
  std::vector<std::byte> odd(kPage + 1);
  std::vector<std::byte> empty;
  auto a = co_await dev.read(1, page);
  auto b = co_await dev.read(0, odd);
  auto c = co_await dev.write(0, empty);
  auto d = co_await dev.write(8 * kPage, page);
  std::vector<std::byte> two(2 * kPage);
  auto e = co_await dev.read(7 * kPage, two);  // runs past the end
  for (auto* x : {&a, &b, &c, &d, &e}) errs.push_back(*x ? BlockErrc::OpenFailed : x->error().code);
}

TEST_F(BlockDeviceTest, BadOffsetsAndLengthsAreClearErrors) {
  std::vector<std::byte> page(kPage);
  ASSERT_FALSE(dev->atomic_read(kPage / 2, page));
  EXPECT_EQ(dev->atomic_read(kPage / 2, page).error().code, BlockErrc::Misaligned);
  std::vector<std::byte> short_buf(kPage - 1);
  EXPECT_EQ(dev->atomic_read(0, short_buf).error().code, BlockErrc::BadLength);
  EXPECT_EQ(dev->atomic_write(8 * kPage, page).error().code, BlockErrc::OutOfRange);
  EXPECT_EQ(dev->atomic_write(~uint64_t{0} - kPage + 1, page).error().code, BlockErrc::OutOfRange);
  EXPECT_TRUE(dev->atomic_write(7 * kPage, page));  // the last page is fine

  std::vector<BlockErrc> errs;
  ASSERT_TRUE(sched.run(bad_scheduled(*dev, errs)));
  EXPECT_EQ(errs, (std::vector<BlockErrc>{BlockErrc::Misaligned, BlockErrc::BadLength, BlockErrc::BadLength,
                                          BlockErrc::OutOfRange, BlockErrc::OutOfRange}));
  EXPECT_EQ(store->reads(), 0);
  EXPECT_EQ(store->writes(), 1);
}

Task<void> failing_read(BlockDevice& dev, std::optional<BlockError>& err) {
  std::vector<std::byte> page(kPage);
  auto r = co_await dev.read(0, page);
  if (!r) err = r.error();
}

TEST_F(BlockDeviceTest, StoreFailuresReachTheTask) {
  store->fail_next(1);
  std::optional<BlockError> err;
  ASSERT_TRUE(sched.run(failing_read(*dev, err)));
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, BlockErrc::Io);
  EXPECT_NE(describe(*err).find("I/O"), std::string::npos);
}

class BlockFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("ffclock-block-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(BlockFileTest, PagesWrittenToAFileReadBackAfterReopening) {
  const std::string path = (dir / "state.img").string();
  {
    auto store = linux_os::LinuxBackend::open_block_file(path, 4096, 4);
    ASSERT_TRUE(store);
    EXPECT_EQ((*store)->pages(), 4u);
    const auto page = page_of('x', 4096);
    ASSERT_TRUE((*store)->write(3 * 4096, page));
  }
  EXPECT_EQ(std::filesystem::file_size(path), 4u * 4096);
  auto store = linux_os::LinuxBackend::open_block_file(path, 4096, 1);
  ASSERT_TRUE(store);
  EXPECT_EQ((*store)->pages(), 4u);  // never shrunk
  std::vector<std::byte> back(4096);
  ASSERT_TRUE((*store)->read(3 * 4096, back));
  EXPECT_EQ(back, page_of('x', 4096));
  ASSERT_TRUE((*store)->read(0, back));
  EXPECT_EQ(back, page_of('\0', 4096));
}

TEST_F(BlockFileTest, AFileThatIsNotWholePagesIsRefused) {
  const std::string path = (dir / "odd.img").string();
  std::ofstream(path) << "not a page";
  auto store = linux_os::LinuxBackend::open_block_file(path, 4096, 1);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, BlockErrc::OpenFailed);
}

}  // namespace
}  // namespace ffclock::runtime
