// SPDX-License-Identifier: BSD-2-Clause
// `ffclock metrics`: the text exposition checked by a parser of the format (names, HELP and
// TYPE before samples, label syntax, values), and `--listen` fetched with a real HTTP client.
#include <httplib.h>

#include <atomic>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "exposition.hpp"
#include "unit/cli/cli_fixture.hpp"

namespace ffclock::testing {
namespace {

struct ParsedExposition {
  std::map<std::string, std::string> types;  // family -> gauge | counter
  std::map<std::string, double> samples;     // name{labels} -> value
  std::vector<std::string> errors;
};

// A strict reading of the text format: every line is "# HELP name text", "# TYPE name type"
// or "name[{label="value",...}] value"; a family's TYPE comes once, before its samples.
ParsedExposition parse_exposition(const std::string& text) {
  static const std::regex help(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$)");
  static const std::regex type(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter)$)");
  static const std::regex sample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*")*\})? ([-+]?[0-9.eE+-]+|NaN|[+-]Inf)$)");
  ParsedExposition p;
  std::istringstream lines(text);
  std::set<std::string> sampled;
  std::smatch m;
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_match(line, m, help)) continue;
    if (std::regex_match(line, m, type)) {
      if (p.types.count(m[1]) != 0) p.errors.push_back("second TYPE for " + m[1].str());
      if (sampled.count(m[1]) != 0) p.errors.push_back("TYPE after samples for " + m[1].str());
      p.types[m[1]] = m[2];
      continue;
    }
    if (std::regex_match(line, m, sample)) {
      const std::string name = m[1];
      if (p.types.count(name) == 0) p.errors.push_back("sample without TYPE: " + line);
      if (p.types[name] == "counter" && name.size() < 6) p.errors.push_back("short counter name " + name);
      if (p.types[name] == "counter" && name.substr(name.size() - 6) != "_total") {
        p.errors.push_back("counter not named _total: " + name);
      }
      if (name.rfind("ffclock_", 0) != 0) p.errors.push_back("name without the ffclock_ prefix: " + name);
      sampled.insert(name);
      const auto space = line.rfind(' ');
      p.samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
      continue;
    }
    p.errors.push_back("not exposition format: " + line);
  }
  return p;
}

class Metrics : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    publish(synced());
    write_file(sources_path(), kSourcesJson);
    counter_.advance(50'000'000'000);
  }
};

TEST_F(Metrics, TextExpositionOfBothPages) {
  const auto r = run({"metrics", "--page", page_path(), "--sources-page", sources_path()});
  EXPECT_EQ(r.code, 0) << r.err;
  const ParsedExposition p = parse_exposition(r.out);
  EXPECT_TRUE(p.errors.empty()) << ::testing::PrintToString(p.errors) << "\n" << r.out;
  EXPECT_EQ(p.types.at("ffclock_maxerror_seconds"), "gauge");
  EXPECT_EQ(p.types.at("ffclock_steps_total"), "counter");
  EXPECT_EQ(p.samples.at("ffclock_clock_page_up"), 1);
  EXPECT_EQ(p.samples.at("ffclock_sources_page_up"), 1);
  EXPECT_EQ(p.samples.at(R"(ffclock_status{status="synchronized"})"), 1);
  EXPECT_EQ(p.samples.at(R"(ffclock_status{status="freerunning"})"), 0);
  EXPECT_EQ(p.samples.at("ffclock_usable"), 1);
  EXPECT_NEAR(p.samples.at("ffclock_maxerror_seconds"), 150e-6, 1e-9);
  EXPECT_NEAR(p.samples.at("ffclock_esterror_seconds"), 10.5e-6, 1e-9);
  EXPECT_NEAR(p.samples.at("ffclock_rate_maxerror_ratio"), 1e-6, 1e-12);
  EXPECT_NEAR(p.samples.at("ffclock_last_update_age_seconds"), 50, 1e-6);
  EXPECT_EQ(p.samples.at("ffclock_tai_offset_seconds"), 37);
  const std::string src = R"(source="127.0.0.1:11123",address="127.0.0.1:11123")";
  EXPECT_NEAR(p.samples.at("ffclock_source_offset_seconds{" + src + "}"), -1.2e-6, 1e-15);
  EXPECT_NEAR(p.samples.at("ffclock_source_rtt_seconds{" + src + "}"), 85e-6, 1e-15);
  EXPECT_NEAR(p.samples.at("ffclock_source_min_rtt_seconds{" + src + "}"), 61e-6, 1e-15);
  EXPECT_EQ(p.samples.at("ffclock_source_reach{" + src + "}"), 255);
  EXPECT_EQ(p.samples.at("ffclock_source_poll_seconds{" + src + "}"), 16);
  EXPECT_EQ(p.samples.at("ffclock_source_state{" + src + R"(,state="selected"})"), 1);
  EXPECT_EQ(
      p.samples.at(
          R"(ffclock_source_state{source="ntp.example.org",address="192.0.2.7:123",state="falseticker"})"),
      1);
  EXPECT_EQ(p.samples.at("ffclock_source_exchanges_total{" + src + "}"), 120);
  // The system source has no exchange yet: no offset or RTT sample rather than a made-up one.
  EXPECT_EQ(p.samples.count(R"(ffclock_source_offset_seconds{source="system",address=""})"), 0u);
  EXPECT_EQ(p.samples.at("ffclock_server_requests_total"), 10);
  EXPECT_EQ(p.samples.at(R"(ffclock_server_dropped_total{reason="denied"})"), 1);
}

TEST_F(Metrics, DaemonDownStillGivesValidExposition) {
  const auto r = run({"metrics", "--page", path("absent"), "--sources-page", path("absent2")});
  EXPECT_EQ(r.code, 1);
  const ParsedExposition p = parse_exposition(r.out);
  EXPECT_TRUE(p.errors.empty()) << ::testing::PrintToString(p.errors);
  EXPECT_EQ(p.samples.at("ffclock_clock_page_up"), 0);
  EXPECT_EQ(p.samples.at("ffclock_sources_page_up"), 0);
  write_file(sources_path(), "{not json");
  EXPECT_EQ(run({"metrics", "--page", page_path(), "--sources-page", sources_path()}).code, 2);
}

TEST_F(Metrics, JsonForm) {
  const auto r = run({"metrics", "--page", page_path(), "--sources-page", sources_path(), "--json"});
  EXPECT_EQ(r.code, 0);
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  bool found = false;
  for (const auto& f : j) found |= f["name"] == "ffclock_maxerror_seconds" && f["type"] == "gauge";
  EXPECT_TRUE(found);
}

TEST(Exposition, EscapesLabelsAndWritesNonFiniteValues) {
  tool::Exposition e;
  e.family("ffclock_x", tool::Exposition::Type::Gauge, "help with \\ and\nnewline");
  e.sample("ffclock_x", {{"source", "a\"b\\c\nd"}}, INFINITY);
  e.sample("ffclock_x", {{"source", "n"}}, NAN);
  e.sample("ffclock_x", {{"source", "small"}}, 1.25e-7);
  e.family("ffclock_empty", tool::Exposition::Type::Gauge, "no samples: not printed");
  EXPECT_EQ(e.text(),
            "# HELP ffclock_x help with \\\\ and\\nnewline\n"
            "# TYPE ffclock_x gauge\n"
            "ffclock_x{source=\"a\\\"b\\\\c\\nd\"} +Inf\n"
            "ffclock_x{source=\"n\"} NaN\n"
            "ffclock_x{source=\"small\"} 1.25e-07\n");
  EXPECT_TRUE(parse_exposition(e.text()).errors.empty());
}

TEST_F(Metrics, ListenServesOverHttp) {
  std::promise<int> port_promise;
  auto port_future = port_promise.get_future();
  std::atomic<bool> stop{false};
  env_.on_listening = [&port_promise](int port) { port_promise.set_value(port); };
  env_.stop_requested = [&stop] { return stop.load(); };
  // The page is read by the server's threads while this one waits: nothing moves the counter.
  std::thread server([this] {
    const auto r =
        run({"metrics", "--page", page_path(), "--sources-page", sources_path(), "--listen", "127.0.0.1:0"});
    EXPECT_EQ(r.code, 0) << r.err;
  });
  ASSERT_EQ(port_future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  const int port = port_future.get();
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  const auto res = client.Get("/metrics");
  const auto other = client.Get("/nothing-here");
  stop = true;
  server.join();
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  const ParsedExposition p = parse_exposition(res->body);
  EXPECT_TRUE(p.errors.empty()) << ::testing::PrintToString(p.errors);
  EXPECT_NEAR(p.samples.at("ffclock_maxerror_seconds"), 150e-6, 1e-9);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
}

TEST_F(Metrics, ListenOnABusyPortIsAnError) {
  // Another exporter already serves a port: the second one must refuse, not share it.
  std::promise<int> port_promise;
  auto port_future = port_promise.get_future();
  std::atomic<bool> stop{false};
  env_.on_listening = [&port_promise](int port) { port_promise.set_value(port); };
  env_.stop_requested = [&stop] { return stop.load(); };
  std::thread first([this] {
    EXPECT_EQ(run({"metrics", "--page", page_path(), "--listen", "127.0.0.1:0"}).code, 0);
  });
  ASSERT_EQ(port_future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  const int port = port_future.get();
  std::ostringstream out2;
  std::ostringstream err2;
  tool::CliEnv env2 = env_;
  env2.out = &out2;
  env2.err = &err2;
  env2.on_listening = nullptr;
  const std::vector<std::string> args{
      "metrics", "--page", page_path(), "--listen", "127.0.0.1:" + std::to_string(port), "--json"};
  const int code = tool::run_cli(args, env2);
  stop = true;
  first.join();
  EXPECT_EQ(code, 2);
  EXPECT_NE(err2.str().find("cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << err2.str();
}

}  // namespace
}  // namespace ffclock::testing
