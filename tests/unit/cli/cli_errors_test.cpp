// SPDX-License-Identifier: BSD-2-Clause
// The exit-code scheme and bad input: every failure is exit 1 or 2 with a clear message on
// stderr (and a JSON object on stdout under --json), never a crash.
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "unit/cli/cli_fixture.hpp"

namespace ffclock::testing {
namespace {

using nlohmann::json;

// The {"error", "code"} object printed under --json.
json error_object(const CliRun& r) {
  const json j = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.out;
  return j;
}

TEST_F(CliTest, UnknownCommandIsAUsageError) {
  const auto r = run({"bogus"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown command bogus"), std::string::npos) << r.err;
  const auto j = run({"bogus", "--json"});
  EXPECT_EQ(j.code, 2);
  EXPECT_EQ(error_object(j)["code"], 2);
  EXPECT_NE(error_object(j)["error"].get<std::string>().find("unknown command bogus"), std::string::npos);
}

TEST_F(CliTest, NoCommandIsAUsageError) {
  const auto r = run({});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no command given"), std::string::npos);
}

TEST_F(CliTest, VersionAtTopLevelAndPerCommand) {
  for (auto args : std::vector<std::vector<std::string>>{{"--version"},
                                                         {"now", "--version"},
                                                         {"status", "--version"},
                                                         {"sources", "--version"},
                                                         {"wait-sync", "--version"},
                                                         {"watch", "--version"},
                                                         {"metrics", "--version"},
                                                         {"probe", "--version"}}) {
    const auto r = run(args);
    EXPECT_EQ(r.code, 0) << args.front();
    EXPECT_EQ(r.out.rfind("ffclock ", 0), 0u) << args.front() << ": " << r.out;
  }
}

TEST_F(CliTest, UnknownOptionAndBadValuesAreUsageErrors) {
  EXPECT_EQ(run({"now", "--bogus"}).code, 2);
  EXPECT_EQ(run({"now", "--page"}).code, 2);  // missing value
  for (const char* bad : {"1", "1x", "-1s", "", "1 s", "1.s", "ms"}) {
    const auto r = run({"wait-sync", "--page", page_path(), "--max-error", bad, "--json"});
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_NE(r.err.find("--max-error"), std::string::npos) << r.err;
    EXPECT_EQ(error_object(r)["code"], 2) << bad;
  }
  EXPECT_EQ(run({"wait-sync", "--timeout", "soon"}).code, 2);
  EXPECT_EQ(run({"watch", "--interval", "1ns"}).code, 2);
  EXPECT_EQ(run({"metrics", "--listen", "nowhere"}).code, 2);
  EXPECT_EQ(run({"metrics", "--listen", "127.0.0.1:70000"}).code, 2);
}

TEST_F(CliTest, MissingPageMeansNotUsable) {
  for (const char* cmd : {"now", "status", "watch"}) {
    const auto r = run({cmd, "--page", path("absent"), "--json"});
    EXPECT_EQ(r.code, 1) << cmd;
    EXPECT_NE(r.err.find("clock page not found"), std::string::npos) << r.err;
    EXPECT_EQ(error_object(r)["code"], 1);
  }
}

TEST_F(CliTest, APathThatIsNotAPageIsAnInputError) {
  ASSERT_EQ(mkfifo(path("fifo").c_str(), 0600), 0);
  write_file(path("garbage"), std::string(4096, 'x'));
  write_file(path("short"), "tiny");
  for (const std::string& p : {path("fifo"), dir_, path("garbage"), path("short")}) {
    const auto r = run({"now", "--page", p});
    EXPECT_EQ(r.code, 2) << p << ": " << r.err;
    EXPECT_NE(r.err.find(p), std::string::npos) << r.err;
  }
  // wait-sync does not wait for a path that can never become a page.
  EXPECT_EQ(run({"wait-sync", "--page", path("fifo"), "--timeout", "10s"}).code, 2);
}

TEST_F(CliTest, UnusableClockExitsOne) {
  core::PageInput in = synced();
  in.params.status = core::SyncStatus::Unsynchronized;
  publish(in);
  const auto now = run({"now", "--page", page_path(), "--json"});
  EXPECT_EQ(now.code, 1);
  EXPECT_EQ(json::parse(now.out)["status"], "unknown");  // the reading is still printed
  EXPECT_NE(now.err.find("not usable"), std::string::npos);
  EXPECT_EQ(run({"status", "--page", page_path(), "--sources-page", sources_path()}).code, 1);
}

TEST_F(CliTest, FreerunningIsUsable) {
  publish(synced());
  counter_.advance(200'000'000'000);  // past the page's 100 s staleness limit
  const auto r = run({"now", "--page", page_path(), "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["status"], "freerunning");
  counter_.advance(2'000'000'000'000);  // past the void limit: unknown
  EXPECT_EQ(run({"now", "--page", page_path()}).code, 1);
}

TEST_F(CliTest, BadSourcesPages) {
  publish(synced());
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"{", "not valid JSON"},
      {"", "not valid JSON"},
      {"[1, 2]", "expected an object"},
      {R"({"sources": []})", "version: missing"},
      {R"({"version": 2, "sources": []})", "version 2 is not supported"},
      {R"({"version": "1", "sources": []})", "version: expected an integer, got a string"},
      {R"({"version": 1})", "sources: missing"},
      {R"({"version": 1, "sources": {}})", "sources: expected an array, got an object"},
      {R"({"version": 1, "sources": [{"reach": 1}]})", "sources[0].name: missing"},
      {R"({"version": 1, "sources": [{"name": "a", "reach": "255"}]})",
       "sources[0].reach: expected an integer"},
      {R"({"version": 1, "sources": [{"name": "a", "reach": 256}]})",
       "sources[0].reach: 256 is out of range"},
      {R"({"version": 1, "sources": [{"name": "a", "reach": 1.5}]})",
       "sources[0].reach: expected an integer"},
      {R"({"version": 1, "sources": [{"name": "a", "offset_ns": "big"}]})",
       "sources[0].offset_ns: expected an integer or null"},
      {R"({"version": 1, "sources": [{"name": "a", "min_rtt_ns": -5}]})",
       "sources[0].min_rtt_ns: -5 is out of range"},
      {R"({"version": 1, "sources": [{"name": "a", "exchanges": -1}]})",
       "sources[0].exchanges: expected a non-negative integer"},
      {R"({"version": 1, "sources": [{"name": "a", "last_update_age_s": "1"}]})",
       "last_update_age_s: expected a number or null"},
      {R"({"version": 1, "sources": [], "selected": 5})", "selected: expected a string or null"},
      {R"({"version": 1, "sources": [], "server": {"dropped": {"mode": true}}})",
       "server.dropped.mode: expected a non-negative integer"},
  };
  for (const Case& c : cases) {
    write_file(sources_path(), c.text);
    const auto r = run({"sources", "--page", page_path(), "--sources-page", sources_path(), "--json"});
    EXPECT_EQ(r.code, 2) << c.text;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.text << " -> " << r.err;
    EXPECT_NE(r.err.find(sources_path()), std::string::npos) << r.err;
    EXPECT_EQ(error_object(r)["code"], 2);
    // status still reports the clock, with a warning about the sources page.
    const auto s = run({"status", "--page", page_path(), "--sources-page", sources_path()});
    EXPECT_EQ(s.code, 0) << c.text;
    EXPECT_NE(s.err.find(c.message), std::string::npos) << s.err;
  }
}

TEST_F(CliTest, SourcesPageMissingOrNotAFile) {
  EXPECT_EQ(run({"sources", "--sources-page", path("absent")}).code, 1);
  ASSERT_EQ(mkfifo(path("fifo").c_str(), 0600), 0);
  const auto r = run({"sources", "--sources-page", path("fifo")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
  write_file(sources_path(), std::string((1 << 20) + 1, ' '));
  const auto big = run({"sources", "--sources-page", sources_path()});
  EXPECT_EQ(big.code, 2);
  EXPECT_NE(big.err.find("larger than"), std::string::npos) << big.err;
}

TEST_F(CliTest, ConfigFindsThePages) {
  publish(synced());
  write_file(sources_path(), kSourcesJson);
  write_file(path("ffclockd.toml"), "[clock]\ncounter = \"auto\"\npage = \"" + page_path() +
                                        "\"\nsources-page = \"" + sources_path() +
                                        "\"\n\n[[source]]\nmode = \"system\"\n");
  const auto r = run({"sources", "--config", path("ffclockd.toml"), "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["selected"], "127.0.0.1:11123");
  EXPECT_EQ(run({"now", "--config", path("ffclockd.toml")}).code, 0);
  // --page overrides the configuration.
  EXPECT_EQ(run({"now", "--config", path("ffclockd.toml"), "--page", path("absent")}).code, 1);
  // A configuration without the keys leaves the defaults.
  write_file(path("empty.toml"), "[clock]\ncounter = \"tsc\"\n");
  const auto d = run({"now", "--config", path("empty.toml")});
  EXPECT_NE(d.err.find("/run/ffclock/page"), std::string::npos) << d.err;
}

TEST_F(CliTest, BadConfigIsAUsageError) {
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"[clock]\npage = 5\n", "ffclockd.toml:2: [clock] page must be a string (a path), not an integer"},
      {"[clock]\n\nsources-page = [\"a\"]\n", "ffclockd.toml:3: [clock] sources-page must be a string"},
      {"[clock]\npage = \"\"\n", "[clock] page is empty"},
      {"clock = 1\n", "ffclockd.toml:1: clock must be a table"},
      {"[clock\npage = \"x\"\n", "ffclockd.toml:1:"},
  };
  for (const Case& c : cases) {
    write_file(path("ffclockd.toml"), c.text);
    const auto r = run({"now", "--config", path("ffclockd.toml"), "--json"});
    EXPECT_EQ(r.code, 2) << c.text;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.text << " -> " << r.err;
    EXPECT_EQ(error_object(r)["code"], 2);
  }
  const auto missing = run({"status", "--config", path("absent.toml")});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("absent.toml: no such file"), std::string::npos) << missing.err;
  ASSERT_EQ(mkfifo(path("fifo.toml").c_str(), 0600), 0);
  EXPECT_EQ(run({"status", "--config", path("fifo.toml")}).code, 2);
}

}  // namespace
}  // namespace ffclock::testing

namespace ffclock::testing {
namespace {

// Pages with the right headers and absurd fields (every byte 0xFF, or the time at the end of
// int64 seconds): every command ends with 0, 1 or 2 and well-formed output, never a crash.
TEST_F(CliTest, AbsurdPagesNeverCrash) {
  for (unsigned char fill : {0x00, 0xFF, 0x7F}) {
    std::string page(FFCLOCK_PAGE_SIZE, static_cast<char>(fill));
    ffclock_page header{};
    header.vmclock.magic = FFCLOCK_VMCLOCK_MAGIC;
    header.vmclock.size = FFCLOCK_PAGE_SIZE;
    header.vmclock.version = FFCLOCK_VMCLOCK_VERSION;
    header.ext.magic = FFCLOCK_EXT_MAGIC;
    header.ext.version = FFCLOCK_EXT_VERSION;
    header.ext.size = sizeof(ffclock_page_ext);
    auto put = [&page](size_t offset, const void* v, size_t n) {
      page.replace(offset, n, static_cast<const char*>(v), n);
    };
    put(offsetof(ffclock_vmclock_abi, magic), &header.vmclock.magic, 4);
    put(offsetof(ffclock_vmclock_abi, size), &header.vmclock.size, 4);
    put(offsetof(ffclock_vmclock_abi, version), &header.vmclock.version, 2);
    const uint32_t seq = 2;
    put(offsetof(ffclock_vmclock_abi, seq_count), &seq, 4);
    put(112 + offsetof(ffclock_page_ext, magic), &header.ext.magic, 4);
    put(112 + offsetof(ffclock_page_ext, version), &header.ext.version, 2);
    put(112 + offsetof(ffclock_page_ext, size), &header.ext.size, 2);
    for (unsigned status_value : {FFCLOCK_STATUS_SYNCHRONIZED, FFCLOCK_STATUS_FREERUNNING, 0xEEu}) {
      const auto status = static_cast<uint8_t>(status_value);
      put(offsetof(ffclock_vmclock_abi, clock_status), &status, 1);
      write_file(path("absurd"), page);
      for (const char* cmd : {"now", "status", "metrics", "watch"}) {
        std::vector<std::string> args{cmd,     "--page", path("absurd"), "--sources-page", path("absent"),
                                      "--json"};
        if (std::string(cmd) == "watch") args.insert(args.end(), {"--count", "1"});
        if (std::string(cmd) == "now") args.erase(args.begin() + 3, args.begin() + 5);
        const auto r = run(args);
        EXPECT_TRUE(r.code == 0 || r.code == 1 || r.code == 2) << cmd << " " << r.code;
        EXPECT_FALSE(json::parse(r.out, nullptr, false).is_discarded()) << cmd << ": " << r.out;
        if (r.code == 0 && std::string(cmd) == "now") {
          const json j = json::parse(r.out);
          EXPECT_LE(j["earliest"].get<std::string>(), j["latest"].get<std::string>());
        }
      }
    }
  }
}

}  // namespace
}  // namespace ffclock::testing
