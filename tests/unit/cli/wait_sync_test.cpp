// SPDX-License-Identifier: BSD-2-Clause
// `wait-sync` and `watch` with fake time: waiting advances the fake counter, and a hook
// publishes what the daemon would meanwhile.
#include <nlohmann/json.hpp>

#include "unit/cli/cli_fixture.hpp"

namespace ffclock::testing {
namespace {

using nlohmann::json;

core::PageInput initializing() {
  core::PageInput in = CliTest::synced();
  in.params.status = core::SyncStatus::WarmUp;
  in.params.time_maxerror = Duration::milliseconds(20);
  return in;
}

TEST_F(CliTest, WaitSyncSucceedsAtOnceWhenSynchronized) {
  publish(synced());
  const auto r =
      run({"wait-sync", "--page", page_path(), "--max-error", "1ms", "--timeout", "60s", "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["status"], "synchronized");
  EXPECT_EQ(j["maxerror_ns"], 100'000);
  EXPECT_EQ(j["waited_s"], 0.0);
}

TEST_F(CliTest, WaitSyncWaitsForTheDaemon) {
  // No page at first; the daemon creates it after 2 s (initializing, 20 ms bound) and is
  // synchronized within 1 ms after 7 s.
  on_time_passed_ = [this](Duration t) {
    const Duration since = t - Duration::seconds(1000);
    if (since >= Duration::seconds(2) && !writer_) publish(initializing());
    if (since >= Duration::seconds(7) && writer_ &&
        writer_->page()->vmclock.clock_status != FFCLOCK_STATUS_SYNCHRONIZED) {
      core::PageInput in = synced();
      in.params.anchor_counter = counter_.read();
      in.params.anchor_time = UtcTime::from_unix(kAnchorUtc) + Duration::seconds(7);
      publish(in);
    }
  };
  const auto r = run({"wait-sync", "--page", page_path(), "--max-error", "1ms", "--timeout", "60s"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("synchronized: maxerror 100.000 us after 7.", 0), 0u) << r.out;
  EXPECT_GE(mono_, Duration::seconds(1007));
  EXPECT_LT(mono_, Duration::seconds(1008));
}

TEST_F(CliTest, WaitSyncTimesOut) {
  publish(initializing());
  const auto r = run({"wait-sync", "--page", page_path(), "--timeout", "5s", "--json"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not synchronized after 5.000 s (status initializing"), std::string::npos) << r.err;
  EXPECT_EQ(json::parse(r.out)["code"], 1);
  EXPECT_EQ(mono_, Duration::seconds(1005));  // gave up at the timeout, not before or long after
}

TEST_F(CliTest, WaitSyncHonoursTheBound) {
  publish(synced());  // 100 us at the anchor (rounded up), + 1 ppm of age
  EXPECT_EQ(run({"wait-sync", "--page", page_path(), "--max-error", "101us", "--timeout", "0s"}).code, 0);
  const auto r = run({"wait-sync", "--page", page_path(), "--max-error", "99us", "--timeout", "3s"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not synchronized within 99.000 us after 3.000 s (status synchronized, maxerror 103."),
            std::string::npos)
      << r.err;
}

TEST_F(CliTest, WaitSyncWithoutPageTimesOut) {
  const auto r = run({"wait-sync", "--page", page_path(), "--timeout", "1s"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("(no clock page)"), std::string::npos) << r.err;
}

TEST_F(CliTest, WaitSyncStopsWhenInterrupted) {
  publish(initializing());
  int polls = 0;
  env_.stop_requested = [&polls] { return ++polls > 3; };
  const auto r = run({"wait-sync", "--page", page_path()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("interrupted"), std::string::npos) << r.err;
}

TEST_F(CliTest, WatchRefreshesEverySecond) {
  publish(synced());
  const auto r = run({"watch", "--page", page_path(), "--json", "--count", "3"});
  EXPECT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::vector<std::string> utc;
  for (std::string line; std::getline(lines, line);) utc.push_back(json::parse(line)["utc"]);
  EXPECT_EQ(utc, (std::vector<std::string>{"2026-11-29T23:00:00.000000000Z", "2026-11-29T23:00:01.000000000Z",
                                           "2026-11-29T23:00:02.000000000Z"}));
  const auto text = run({"watch", "--page", page_path(), "--count", "2"});
  EXPECT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("Status          : synchronized"), std::string::npos) << text.out;
}

TEST_F(CliTest, WatchStepsPrintsEachStep) {
  publish(synced());
  // A reference step 3 s later and another 5 s later; ordinary publications in between.
  on_time_passed_ = [this](Duration t) {
    const Duration since = t - Duration::seconds(1000);
    core::PageInput in = synced();
    in.params.anchor_counter = counter_.read();
    in.params.anchor_time = UtcTime::from_unix(kAnchorUtc) + since;
    in.reference_step = since == Duration::seconds(3) || since == Duration::milliseconds(5500);
    publish(in);
  };
  const auto r = run({"watch", "--steps", "--page", page_path(), "--count", "2"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "waiting for steps (step generation 0)\n"
            "2026-11-29T23:00:03.000000000Z  step generation 1: status synchronized, maxerror 100.000 us\n"
            "2026-11-29T23:00:05.500000000Z  step generation 2: status synchronized, maxerror 100.000 us\n");
}

}  // namespace
}  // namespace ffclock::testing
