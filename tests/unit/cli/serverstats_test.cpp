// SPDX-License-Identifier: BSD-2-Clause
// `ffclock serverstats`: the server counters of the sources page as text and JSON, and its
// exit codes (no page 1, no server counters 1, invalid page 2).
#include <nlohmann/json.hpp>

#include "unit/cli/cli_fixture.hpp"

namespace ffclock::testing {
namespace {

using nlohmann::json;

// A page as ffclockd writes it while serving: every request ends as a reply or in exactly
// one drop reason (a KoD RATE reply counts as rate-limited).
const char* const kServingJson = R"({
  "version": 1,
  "written_utc": "2026-11-29T23:00:48.500000000Z",
  "sources": [],
  "server": {"requests": 1000, "replies": 700, "kod_sent": 40,
             "dropped": {"malformed": 3, "rate_limited": 250, "denied": 5, "mode": 42}}
})";

class Serverstats : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    publish(synced());
    counter_.advance(50'000'000'000);  // the page was written 1.5 s ago
  }
  CliRun stats(bool as_json) {
    std::vector<std::string> args{"serverstats", "--page", page_path(), "--sources-page", sources_path()};
    if (as_json) args.emplace_back("--json");
    return run(args);
  }
};

TEST_F(Serverstats, Text) {
  write_file(sources_path(), kServingJson);
  const auto r = stats(false);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, R"(NTP requests received                : 1000
NTP replies sent                     : 700
KoD RATE replies sent                : 40
Requests dropped                     : 300
  malformed                          : 3
  denied (allow/deny)                : 5
  rate-limited (incl. KoD)           : 250
  mode 6/7 or other modes            : 42
Counters written                     : 1.5 s ago
)");
}

TEST_F(Serverstats, Json) {
  write_file(sources_path(), kServingJson);
  const auto r = stats(true);
  EXPECT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["requests"], 1000);
  EXPECT_EQ(j["replies"], 700);
  EXPECT_EQ(j["kod_sent"], 40);
  EXPECT_EQ(j["dropped"], (json{{"malformed", 3}, {"denied", 5}, {"rate_limited", 250}, {"mode", 42}}));
  EXPECT_EQ(j["dropped_total"], 300);
  EXPECT_EQ(j["written_utc"], "2026-11-29T23:00:48.500000000Z");
  EXPECT_NEAR(j["page_age_s"].get<double>(), 1.5, 1e-9);
}

TEST_F(Serverstats, AReasonThisVersionDoesNotKnowIsShownAndCounted) {
  write_file(sources_path(), R"({"version": 1, "sources": [], "server": {"requests": 9, "replies": 2,
      "dropped": {"malformed": 1, "too\u0007loud": 6}}})");
  const auto r = stats(false);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Requests dropped                     : 7\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  too?loud                           : 6\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  denied (allow/deny)                : 0\n"), std::string::npos) << r.out;
  // No written_utc: no age line.
  EXPECT_EQ(r.out.find("Counters written"), std::string::npos) << r.out;
  const json j = json::parse(stats(true).out);
  EXPECT_EQ(j["dropped"]["too\u0007loud"], 6);
  EXPECT_EQ(j["dropped"]["rate_limited"], 0);
  EXPECT_EQ(j["dropped_total"], 7);
  EXPECT_TRUE(j["page_age_s"].is_null());
}

TEST_F(Serverstats, NoServerCountersIsNotUsable) {
  write_file(sources_path(), kSourcesJson);  // has counters
  EXPECT_EQ(stats(false).code, 0);
  write_file(sources_path(), R"({"version": 1, "sources": []})");
  const auto r = stats(true);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("serves no NTP"), std::string::npos) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["code"], 1);
}

TEST_F(Serverstats, MissingPageIsNotUsableAndAnInvalidOneIsAnInputError) {
  EXPECT_EQ(run({"serverstats", "--sources-page", path("absent")}).code, 1);
  write_file(sources_path(), R"({"version": 1, "sources": [], "server": {"replies": -1}})");
  const auto r = stats(false);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("server.replies: expected a non-negative integer"), std::string::npos) << r.err;
}

TEST_F(Serverstats, VersionAndHelp) {
  const auto v = run({"serverstats", "--version"});
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out.rfind("ffclock ", 0), 0u) << v.out;
  const auto h = run({"--help"});
  EXPECT_NE(h.out.find("serverstats"), std::string::npos) << h.out;
}

}  // namespace
}  // namespace ffclock::testing
