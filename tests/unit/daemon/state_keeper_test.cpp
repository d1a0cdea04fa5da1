// The state file on disk: saved from a reliable publication only, loaded as a warm start on
// the same identity, and every bad file (missing, corrupt, foreign, old) a cold start with a
// log line, never a crash.
#include "daemon/state_keeper.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

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

TEST(StateKeeper, SavesAndWarmStartsOnTheSameIdentity) {
  const std::string path = temp_path();
  StateKeeper k(path, kId);
  Lines log;
  EXPECT_FALSE(k.load(kNow, log).has_value());  // nothing saved yet: cold start, one line
  ASSERT_EQ(log.lines.size(), 1u);
  EXPECT_TRUE(k.due(kNow));
  EXPECT_FALSE(k.save(reliable(), kNow).has_value());
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
  EXPECT_FALSE(k.save(in, kNow).has_value());
  Lines log;
  EXPECT_FALSE(StateKeeper(path, kId).load(kNow, log).has_value());
}

TEST(StateKeeper, CorruptForeignOrOldFilesColdStartWithAReason) {
  const std::string path = temp_path();
  StateKeeper k(path, kId);
  ASSERT_FALSE(k.save(reliable(), kNow).has_value());
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

}  // namespace
