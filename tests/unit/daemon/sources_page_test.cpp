// SPDX-License-Identifier: BSD-2-Clause
// The sources page document (docs/sources-page.md) against a golden file written by hand
// from the specification, and the value mappings it relies on.
#include "daemon/sources_page.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace ffclock::daemon {
namespace {

using core::engine::SourceMode;
using core::engine::SourceState;

std::string read_golden(const std::string& name) {
  std::ifstream in(std::string(FFCLOCK_SOURCE_DIR) + "/tests/data/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

SourcesPageInput sample_input() {
  SourcesPageInput in;
  in.written = UtcTime::from_unix(1'795'996'799) +
               Duration::nanoseconds(123'456'789);  // 2026-11-29T23:59:59.123456789Z
  in.pid = 1234;
  in.daemon_version = "0.1.0";
  in.started = UtcTime::from_unix(1'795'993'200);  // 2026-11-29T23:00:00Z
  in.page = "/run/ffclock/page";
  in.summary.selected = 0;
  in.summary.step_generation = 3;
  in.summary.leap = core::LeapIndicator::None;
  in.nominal_hz = 1'000'000'000;
  in.counter_now = 10'000'000'000;

  SourcesPageSource a;
  a.snapshot.name = "127.0.0.1:11123";
  a.snapshot.mode = SourceMode::Server;
  a.snapshot.state = SourceState::Selected;
  a.snapshot.reach = 255;
  a.snapshot.poll_log2 = 4;
  a.snapshot.stratum = 1;
  a.snapshot.refid = 0x47505300;  // "GPS\0"
  a.snapshot.last_rtt = Duration::nanoseconds(85'000);
  a.snapshot.min_rtt = Duration::nanoseconds(61'000);
  a.snapshot.offset = Duration::nanoseconds(-1'200);
  a.snapshot.bound = Duration::nanoseconds(42'000);
  a.snapshot.last_update_counter = 8'500'000'000;  // 1.5 s before counter_now
  a.snapshot.exchanges = 120;
  a.snapshot.rejected = 3;
  a.address = "127.0.0.1:11123";
  in.sources.push_back(a);

  SourcesPageSource b;
  b.snapshot.name = "ntp.example.org";
  b.snapshot.mode = SourceMode::Pool;
  b.snapshot.state = SourceState::Falseticker;
  b.snapshot.reach = 7;
  b.snapshot.poll_log2 = 6;
  b.snapshot.stratum = 2;
  b.snapshot.refid = 0xC0000201;  // 192.0.2.1
  b.snapshot.kod = "RATE";
  b.address = "192.0.2.7:123";
  in.sources.push_back(b);

  SourcesPageSource c;
  c.snapshot.name = "system";
  c.snapshot.mode = SourceMode::System;
  c.snapshot.state = SourceState::Initializing;
  in.sources.push_back(c);
  return in;
}

TEST(SourcesPage, MatchesTheGoldenDocument) {
  const std::string golden = read_golden("sources-page.golden.json");
  ASSERT_FALSE(golden.empty());
  EXPECT_EQ(render_sources_page(sample_input()), golden);
}

TEST(SourcesPage, IsValidJsonWithNoSelectedSourceAsNull) {
  SourcesPageInput in = sample_input();
  in.summary.selected.reset();
  in.summary.leap = core::LeapIndicator::InsertSecond;
  const auto j = nlohmann::json::parse(render_sources_page(in));
  EXPECT_TRUE(j["selected"].is_null());
  EXPECT_EQ(j["leap"], "insert");
  EXPECT_EQ(j["sources"].size(), 3u);
}

TEST(SourcesPage, ASelectedIndexPastTheListIsNull) {
  SourcesPageInput in = sample_input();
  in.summary.selected = 7;
  EXPECT_TRUE(nlohmann::json::parse(render_sources_page(in))["selected"].is_null());
}

TEST(SourcesPage, NamesEveryStateAndLeap) {
  EXPECT_STREQ(state_name(SourceState::Initializing), "initializing");
  EXPECT_STREQ(state_name(SourceState::Selected), "selected");
  EXPECT_STREQ(state_name(SourceState::Candidate), "candidate");
  EXPECT_STREQ(state_name(SourceState::Falseticker), "falseticker");
  EXPECT_STREQ(state_name(SourceState::Unreachable), "unreachable");
  EXPECT_STREQ(state_name(SourceState::Demobilized), "demobilized");
  EXPECT_STREQ(leap_name(core::LeapIndicator::DeleteSecond), "delete");
  EXPECT_STREQ(leap_name(core::LeapIndicator::Unsynchronized), "none");
}

TEST(SourcesPage, RefidIsTextAtStratumOneAndAnAddressAbove) {
  EXPECT_EQ(refid_text(0x4C4F434C, 1), "LOCL");
  EXPECT_EQ(refid_text(0x52415445, 0), "RATE");
  EXPECT_EQ(refid_text(0x7F000001, 3), "127.0.0.1");
  EXPECT_EQ(refid_text(0, 1), "");
  EXPECT_EQ(refid_text(0x41010000, 1), "A?");  // control bytes do not reach the document
}

TEST(SourcesPage, RefidIsTextAtStratumSixteen) {
  // The system source over a kernel nobody disciplines publishes stratum 16 with "SYS":
  // that is a code, not the address 83.89.83.0.
  EXPECT_EQ(refid_text(0x53595300, 16), "SYS");
  EXPECT_EQ(refid_text(0x564D434C, 1), "VMCL");
  EXPECT_EQ(refid_text(0x494E4954, 16), "INIT");
  EXPECT_EQ(refid_text(0xC0000201, 15), "192.0.2.1");
}

TEST(SourcesPage, AnUnusableVmclockSourceCarriesItsReason) {
  SourcesPageInput in = sample_input();
  SourcesPageSource d;
  d.snapshot.name = "vmclock";
  d.snapshot.mode = SourceMode::Vmclock;
  d.snapshot.state = SourceState::Unreachable;
  d.snapshot.unusable = "host clock is unreliable, not synchronized";
  in.sources.push_back(d);
  const auto j = nlohmann::json::parse(render_sources_page(in));
  ASSERT_EQ(j["sources"].size(), 4u);
  EXPECT_EQ(j["sources"][3]["mode"], "vmclock");
  EXPECT_EQ(j["sources"][3]["state"], "unreachable");
  EXPECT_EQ(j["sources"][3]["unusable"], "host clock is unreliable, not synchronized");
  EXPECT_TRUE(j["sources"][0]["unusable"].is_null());
}

}  // namespace
}  // namespace ffclock::daemon
