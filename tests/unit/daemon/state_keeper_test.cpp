// SPDX-License-Identifier: BSD-2-Clause
// The state file on disk: saved from a reliable publication only, loaded as a warm start on
// the same identity, and every bad file (missing, corrupt, foreign, old) a cold start with a
// log line, never a crash.
#include "daemon/state_keeper.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "daemon/state_writer.hpp"
#include "platform/read_text_file.hpp"
#include "runtime/sim/sim_backend.hpp"

using namespace ffclock;
using namespace ffclock::daemon;

namespace {

struct Lines final : LogSink {
  void write(core::engine::LogLevel, std::string_view text) override { lines.emplace_back(text); }
  std::vector<std::string> lines;
};

std::string temp_path() {
  char dir[] = "/tmp/ffclock-state-XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  return std::string(dir) + "/sub/state";
}

core::PageInput reliable() {
  core::PageInput in;
  in.params.local_period = CounterPeriod::from_seconds(1.0L / 2'445'412'345.0L);
  in.params.period_maxerror_rel = 4e-8;
  in.params.status = core::SyncStatus::Synchronized;
  return in;
}

const core::CounterIdentity kId{"tsc", 2'445'400'000, "boot-a", std::nullopt};
const UtcTime kNow = UtcTime::from_unix(1'795'000'000);

// A scheduler on the simulated backend: the Block device needs one, even for write_state_now.
struct Runtime {
  runtime::sim::SimBackend backend{runtime::mono_from_ns(1'000'000'000)};
  runtime::sim::SimCounter counter{backend, 1'000'000'000, 0};
  runtime::Scheduler sched{backend, counter};
};

// What ffclockd does at exit: the keeper's text, written at once through the Block device.
std::optional<std::string> save(StateKeeper& k, const core::PageInput& in, UtcTime now) {
  auto text = k.text_to_save(in, now);
  if (!text) return std::nullopt;
  Runtime rt;
  return write_state_now(rt.sched, k.path(), *text);
}

std::string file_bytes(const std::string& path) {
  auto r = platform::read_text_file(path, 1 << 16);
  return r ? *r : std::string();
}

TEST(StateKeeper, SavesAndWarmStartsOnTheSameIdentity) {
  const std::string path = temp_path();
  StateKeeper k(path, kId);
  Lines log;
  EXPECT_FALSE(k.load(kNow, log).has_value());  // nothing saved yet: cold start, one line
  ASSERT_EQ(log.lines.size(), 1u);
  EXPECT_TRUE(k.due(kNow));
  EXPECT_FALSE(save(k, reliable(), kNow).has_value());
  EXPECT_FALSE(k.due(kNow + Duration::seconds(60)));
  EXPECT_TRUE(k.due(kNow + Duration::seconds(600)));
  const auto warm = StateKeeper(path, kId).load(kNow + Duration::seconds(30), log);
  ASSERT_TRUE(warm.has_value());
  EXPECT_NEAR(static_cast<double>(warm->period_s * 2'445'412'345.0L), 1.0, 1e-15);
  EXPECT_GE(warm->period_maxerror_rel, 1e-6);  // never claimed better than the floor
}

TEST(StateKeeper, UnreliablePublicationsAreNotSaved) {
  const std::string path = temp_path();
  StateKeeper k(path, kId);
  core::PageInput in = reliable();
  in.unreliable = true;
  EXPECT_FALSE(save(k, in, kNow).has_value());
  Lines log;
  EXPECT_FALSE(StateKeeper(path, kId).load(kNow, log).has_value());
}

TEST(StateKeeper, CorruptForeignOrOldFilesColdStartWithAReason) {
  const std::string path = temp_path();
  StateKeeper k(path, kId);
  ASSERT_FALSE(save(k, reliable(), kNow).has_value());
  Lines log;
  core::CounterIdentity other = kId;
  other.boot_id = "boot-b";
  EXPECT_FALSE(StateKeeper(path, other).load(kNow, log).has_value());
  EXPECT_NE(log.lines.back().find("another boot"), std::string::npos);
  EXPECT_FALSE(StateKeeper(path, kId).load(kNow + Duration::seconds(8 * 86400), log).has_value());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << std::string("\x01\x02garbage\xff", 11);
  EXPECT_FALSE(StateKeeper(path, kId).load(kNow, log).has_value());
  EXPECT_NE(log.lines.back().find("cold start"), std::string::npos);
}

TEST(StateWriter, WritesWholePagesAtTheSchedulersIdleMomentAndReplacesAtomically) {
  const std::string path = temp_path();
  StateKeeper k(path, kId);
  ASSERT_FALSE(save(k, reliable(), kNow).has_value());  // an older state to replace
  // A leftover temporary file of an odd size (a crash mid-save) must not get in the way.
  std::ofstream(path + ".tmp", std::ios::binary) << "half a page";
  const auto text = k.text_to_save(reliable(), kNow + Duration::seconds(600));
  ASSERT_TRUE(text.has_value());
  Runtime rt;
  int order = 0, wrote_at = -1, other_at = -1;
  auto other = [&]() -> runtime::Task<void> {
    other_at = order++;
    co_return;
  };
  auto root = [&]() -> runtime::Task<std::optional<std::string>> {
    auto o = rt.sched.spawn(other());
    auto err = co_await write_state(rt.sched, path, *text);
    wrote_at = order++;
    (void)co_await o.join();
    co_return err;
  };
  const auto r = rt.sched.run(root());
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->has_value()) << **r;
  EXPECT_LT(other_at, wrote_at) << "the storage write ran before a ready task";
  const std::string bytes = file_bytes(path);
  ASSERT_EQ(bytes.size(), kStatePageBytes);
  EXPECT_EQ(bytes.substr(0, text->size()), *text);
  EXPECT_EQ(bytes.find_first_not_of('\0', text->size()), std::string::npos);
  struct stat st {};
  EXPECT_NE(::stat((path + ".tmp").c_str(), &st), 0) << "the temporary file was left behind";
  Lines log;
  EXPECT_TRUE(StateKeeper(path, kId).load(kNow + Duration::seconds(630), log).has_value());
}

TEST(StateWriter, AnUnwritableDirectoryIsAnErrorTextAndNothingElse) {
  const std::string path = temp_path();
  const std::string blocker = path.substr(0, path.rfind('/'));  // ".../sub" is made a file
  std::ofstream(blocker) << "a file where the directory should be";
  StateKeeper k(blocker + "/state", kId);
  const auto err = save(k, reliable(), kNow);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("state file"), std::string::npos) << *err;
}

}  // namespace
