// SPDX-License-Identifier: BSD-2-Clause
// The evaluation log: a page read through the public reader next to a fake reference clock,
// and the EVAL line's fields.
#include "daemon/eval_log.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/reader/page_fixture.hpp"

namespace ffclock::daemon {
namespace {

using testing::MemoryPage;
using testing::synced_input;

constexpr uint64_t kAnchorCounter = 1'000'000'000'000ull;
constexpr int64_t kT0 = 1'790'000'000;

TEST(EvalLog, FormatsReferenceCounterOffsetAndBound) {
  ClockReading r;
  r.utc = UtcTime::from_unix(kT0, 0) + Duration::microseconds(250);
  r.counter = 42;
  r.maxerror = Duration::microseconds(100);
  EXPECT_EQ(format_eval_line(kT0 * 1'000'000'000, r), "EVAL 1790000000000000000 42 +0.000250000 0.000100000");
  r.utc = UtcTime::from_unix(kT0, 0) - Duration::nanoseconds(1500);
  EXPECT_EQ(format_eval_line(kT0 * 1'000'000'000, r), "EVAL 1790000000000000000 42 -0.000001500 0.000100000");
}

TEST(EvalLog, ComparesThePageWithTheReferenceReadAroundIt) {
  MemoryPage page;
  page.writer.publish(synced_input(kAnchorCounter, UtcTime::from_unix(kT0)));
  page.counter.set(kAnchorCounter + 2'000'000'000);  // 2 s after the anchor
  const Clock clock = page.reader();

  platform::FakeReferenceClock reference;
  // The reference is 3 us behind the page; each of its reads takes 1 us of counter.
  reference.now_ns = (kT0 + 2) * 1'000'000'000 - 3'000;
  reference.on_read = [&] {
    page.counter.advance(1'000);
    reference.now_ns += 1'000;
  };
  std::vector<std::string> lines;
  MemoryLog log;
  EvalLog eval(
      reference, [&](const std::string& l) { lines.push_back(l); }, log);
  ASSERT_TRUE(eval.sample(clock));
  ASSERT_EQ(lines.size(), 1u);
  // Reads: reference at +1 us, page at counter +1 us, reference at +2 us: midpoint +1.5 us.
  // The page says 2.000001 s; the reference's midpoint is 2.0000015 - 3 us = 1.9999985 s.
  EXPECT_EQ(lines[0], "EVAL 1790000001999998500 1002000001000 +0.000002500 0.000102000");
  EXPECT_EQ(eval.lines(), 1u);
}

TEST(EvalLog, NoLineWhileThePageOrTheReferenceCannotBeRead) {
  MemoryPage page;
  const Clock clock = page.reader();  // nothing published yet
  platform::FakeReferenceClock reference;
  std::vector<std::string> lines;
  MemoryLog log;
  EvalLog eval(
      reference, [&](const std::string& l) { lines.push_back(l); }, log);
  EXPECT_FALSE(eval.sample(clock));
  EXPECT_FALSE(eval.sample(clock));
  EXPECT_TRUE(lines.empty());
  ASSERT_EQ(log.lines.size(), 1u) << "one warning per failing spell";
  EXPECT_TRUE(log.contains("nothing published")) << log.lines[0];

  page.writer.publish(synced_input(kAnchorCounter, UtcTime::from_unix(kT0)));
  page.counter.set(kAnchorCounter);
  reference.fail = true;
  EXPECT_FALSE(eval.sample(clock));
  reference.fail = false;
  EXPECT_TRUE(eval.sample(clock));
  EXPECT_EQ(lines.size(), 1u);
}

}  // namespace
}  // namespace ffclock::daemon
