// SPDX-License-Identifier: BSD-2-Clause
// Golden output of `status`, `sources` and `now`, text and JSON, against pages made here.
#include <nlohmann/json.hpp>

#include "unit/cli/cli_fixture.hpp"

namespace ffclock::testing {
namespace {

// 50 s after the anchor: maxerror 100 us + 50 s * 1 ppm = 150 us.
class Golden : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    publish(synced());
    write_file(sources_path(), kSourcesJson);
    counter_.advance(50'000'000'000);
  }
};

TEST_F(Golden, StatusText) {
  const auto r = run({"status", "--page", page_path(), "--sources-page", sources_path()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, R"(Status          : synchronized
Selected source : 127.0.0.1:11123
Source stratum  : 1 (reference GPS)
Max error       : +-150.000 us
Est error       : +-10.500 us
Counter         : tsc
Period          : 1.000000000000 ns (+0.000 ppm vs nominal 1000000000 Hz)
Local period    : 1.000000000000 ns (+0.000 ppm vs nominal 1000000000 Hz)
Rate error      : +-0.010 ppm estimated, +-1.000 ppm bound
Root delay      : 85.000 us
Root dispersion : 12.000 us
Last update     : 50.000 s ago (1 publication)
Leap            : none (TAI-UTC 37 s)
Step generation : 0
UTC             : 2026-11-29T23:00:50.000000000Z
)");
}

TEST_F(Golden, StatusJson) {
  const auto r = run({"status", "--page", page_path(), "--sources-page", sources_path(), "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"({
  "counter": "tsc",
  "earliest": "2026-11-29T23:00:49.999850000Z",
  "esterror_ns": 10500,
  "host_disruption": "none",
  "last_update_age_s": 50.0,
  "latest": "2026-11-29T23:00:50.000150000Z",
  "leap": "none",
  "leap_table_expired": false,
  "local_period_ns": 1.0,
  "local_period_ppm": 0.0,
  "maxerror_ns": 150000,
  "nominal_hz": 1000000000,
  "period_ns": 1.0,
  "period_ppm": 0.0,
  "publications": 1,
  "rate_esterror_ppm": 0.010000000000017124,
  "rate_maxerror_ppm": 1.0000000000000968,
  "refid": "GPS",
  "root_delay_ns": 85000,
  "root_dispersion_ns": 12000,
  "selected": "127.0.0.1:11123",
  "status": "synchronized",
  "step_generation": 0,
  "stratum": 1,
  "tai": "2026-11-29T23:01:27.000000000Z",
  "tai_minus_utc": 37,
  "usable": true,
  "utc": "2026-11-29T23:00:50.000000000Z"
}
)");
}

TEST_F(Golden, NowText) {
  const auto r = run({"now", "--page", page_path()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"(UTC        2026-11-29T23:00:50.000000000Z
TAI        2026-11-29T23:01:27.000000000Z (TAI)
Earliest   2026-11-29T23:00:49.999850000Z
Latest     2026-11-29T23:00:50.000150000Z
Max error  +-150.000 us
Est error  +-10.500 us
Status     synchronized
Leap       none (TAI-UTC 37 s)
Smeared    noon-linear  2026-11-29T23:00:50.000000000Z
Smeared    utc-sls      2026-11-29T23:00:50.000000000Z
Smeared    cosine       2026-11-29T23:00:50.000000000Z
Monotonic  50.000000000 s
Steps      0
)");
}

TEST_F(Golden, NowJson) {
  const auto r = run({"now", "--page", page_path(), "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"({
  "earliest": "2026-11-29T23:00:49.999850000Z",
  "esterror_ns": 10500,
  "latest": "2026-11-29T23:00:50.000150000Z",
  "leap": "none",
  "maxerror_ns": 150000,
  "monotonic_ns": 50000000000,
  "smear_hint": "none",
  "smeared": {
    "cosine": "2026-11-29T23:00:50.000000000Z",
    "noon-linear": "2026-11-29T23:00:50.000000000Z",
    "utc-sls": "2026-11-29T23:00:50.000000000Z"
  },
  "status": "synchronized",
  "step_generation": 0,
  "tai": "2026-11-29T23:01:27.000000000Z",
  "tai_minus_utc": 37,
  "usable": true,
  "utc": "2026-11-29T23:00:50.000000000Z"
}
)");
}

TEST_F(Golden, SourcesText) {
  const auto r = run({"sources", "--page", page_path(), "--sources-page", sources_path()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"(3 sources, selected: 127.0.0.1:11123, step generation 0, leap none, written 1.5 s ago
S  Name             Address          State                   St  Poll  Reach  LastRx   Last RTT    Min RTT      Offset      Bound
*  127.0.0.1:11123  127.0.0.1:11123  selected                 1     4    377    1.5s  85.000 us  61.000 us   -1.200 us  42.000 us
x  ntp.example.org  192.0.2.7:123    falseticker (KoD RATE)   2     6    167   33.2s  20.350 ms  19.875 ms  500.012 ms  10.200 ms
~  system           -                initializing             0     0      0       -          -          -           -          -
)");
}

TEST_F(Golden, SourcesJson) {
  const auto r = run({"sources", "--page", page_path(), "--sources-page", sources_path(), "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"({
  "leap": "none",
  "page_age_s": 1.5,
  "selected": "127.0.0.1:11123",
  "sources": [
    {
      "address": "127.0.0.1:11123",
      "bound_ns": 42000,
      "exchanges": 120,
      "kod": null,
      "last_rtt_ns": 85000,
      "last_update_age_s": 1.5,
      "min_rtt_ns": 61000,
      "mode": "server",
      "name": "127.0.0.1:11123",
      "offset_ns": -1200,
      "poll_log2": 4,
      "reach": 255,
      "reach_octal": "377",
      "refid": "GPS",
      "rejected": 3,
      "state": "selected",
      "stratum": 1,
      "unusable": null
    },
    {
      "address": "192.0.2.7:123",
      "bound_ns": 10200000,
      "exchanges": 40,
      "kod": "RATE",
      "last_rtt_ns": 20350000,
      "last_update_age_s": 33.25,
      "min_rtt_ns": 19875000,
      "mode": "pool",
      "name": "ntp.example.org",
      "offset_ns": 500012000,
      "poll_log2": 6,
      "reach": 119,
      "reach_octal": "167",
      "refid": "10.0.0.1",
      "rejected": 0,
      "state": "falseticker",
      "stratum": 2,
      "unusable": null
    },
    {
      "address": "",
      "bound_ns": null,
      "exchanges": 0,
      "kod": null,
      "last_rtt_ns": null,
      "last_update_age_s": null,
      "min_rtt_ns": null,
      "mode": "system",
      "name": "system",
      "offset_ns": null,
      "poll_log2": 0,
      "reach": 0,
      "reach_octal": "0",
      "refid": "",
      "rejected": 0,
      "state": "initializing",
      "stratum": 0,
      "unusable": null
    }
  ],
  "step_generation": 0,
  "written_utc": "2026-11-29T23:00:48.500000000Z"
}
)");
}

}  // namespace
}  // namespace ffclock::testing

namespace ffclock::testing {
namespace {

// Half a day before a leap second (kLeapUtc, 2026-12-31T00:00:00Z) (announced, noon-linear smear
// recommended): the smeared clocks differ from UTC, and the leap shows in the leap line.
TEST_F(CliTest, NowTextWithALeapPending) {
  core::PageInput in = synced();
  in.params.anchor_time = UtcTime::from_unix(kNoonBeforeLeap);
  in.stale_after = Duration::seconds(7200);
  in.void_after = Duration::seconds(86400);
  in.next_leap = core::LeapSchedule{LeapEvent{kLeapUtc, 1, 38}, SmearKind::NoonLinear,
                                    standard_window(SmearKind::NoonLinear)};
  publish(in);
  counter_.advance(3'600'000'000'000);  // 13:00, an hour into the noon-linear smear (1/24 s behind)
  const auto r = run({"now", "--page", page_path()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"(UTC        2026-12-30T13:00:00.000000000Z
TAI        2026-12-30T13:00:37.000000000Z (TAI)
Earliest   2026-12-30T12:59:59.996300000Z
Latest     2026-12-30T13:00:00.003700000Z
Max error  +-3.700 ms
Est error  +-46.000 us
Status     synchronized
Leap       pending-insert (TAI-UTC 37 s, inserted second at 2026-12-31T00:00:00Z)
Smeared    noon-linear  2026-12-30T12:59:59.958333816Z (recommended)
Smeared    utc-sls      2026-12-30T13:00:00.000000000Z
Smeared    cosine       2026-12-30T12:59:59.995722530Z
Monotonic  3600.000000000 s
Steps      0
)");
}

// During an inserted leap second UTC reads 23:59:60.
TEST_F(CliTest, NowShowsTheLeapSecondAsSixty) {
  core::PageInput in = synced();
  in.params.anchor_time = UtcTime::from_unix(kLeapUtc - 10);
  in.next_leap = core::LeapSchedule{LeapEvent{kLeapUtc, 1, 38}, SmearKind::NoonLinear,
                                    standard_window(SmearKind::NoonLinear)};
  publish(in);
  counter_.advance(10'250'000'000);
  const auto r = run({"now", "--page", page_path(), "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["utc"], "2026-12-30T23:59:60.250000000Z");
  EXPECT_EQ(j["leap"], "inserting");
  EXPECT_EQ(j["tai"], "2026-12-31T00:00:37.250000000Z");
}

// A page without TAI − UTC (ffclockd with no leap-second table): its TAI field holds UTC, which
// `now` must not print as TAI.
TEST_F(CliTest, NowWithoutATaiOffsetShowsTaiUnknown) {
  core::PageInput in = synced();
  in.tai_offset_known = false;
  publish(in);
  auto r = run({"now", "--page", page_path()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("TAI        unknown (no TAI-UTC published"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Leap       none (TAI-UTC unknown)"), std::string::npos) << r.out;
  r = run({"now", "--page", page_path(), "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["tai"].is_null()) << r.out;
  EXPECT_TRUE(j["tai_minus_utc"].is_null()) << r.out;
  EXPECT_FALSE(j["utc"].is_null()) << r.out;
}

TEST_F(CliTest, StatusShowsTheHostsAnnouncedDisruption) {
  core::PageInput in = synced();
  in.disruption_soon = true;
  publish(in);
  auto r = run({"status", "--page", page_path()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Status          : synchronized\nHost disruption : soon\n"), std::string::npos)
      << r.out;
  in.disruption_imminent = true;
  publish(in);
  r = run({"status", "--page", page_path(), "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["host_disruption"], "imminent");
  in.disruption_soon = in.disruption_imminent = false;
  publish(in);
  r = run({"status", "--page", page_path()});
  EXPECT_EQ(r.out.find("Host disruption"), std::string::npos) << r.out;
}

TEST_F(CliTest, StatusShowsACodeRefidAtStratumSixteenAsText) {
  core::PageInput in = synced();
  in.source.stratum = 16;
  in.source.refid = 0x53595300;  // "SYS": the kernel clock nobody disciplines
  publish(in);
  const auto r = run({"status", "--page", page_path()});
  EXPECT_NE(r.out.find("Source stratum  : 16 (reference SYS)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ffclock::testing
