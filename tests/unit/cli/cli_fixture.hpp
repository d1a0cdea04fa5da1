// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Runs the whole `ffclock` tool in-process against pages made in the test: a clock page file
// written by the real PageWriter with a FakeCounter (the reader reads the same fake), a
// sources page written as JSON, and a fake passage of time (waiting advances the counter).

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "cli_env.hpp"
#include "core/page/page_input.hpp"
#include "platform/counter.hpp"
#include "platform/page_writer.hpp"
#include "unit/reader/page_fixture.hpp"

namespace ffclock::testing {

// 2026-11-29T23:00:00Z: the anchor of the pages the CLI tests publish.
inline constexpr int64_t kAnchorUtc = 1'795'993'200;
inline constexpr uint64_t kAnchorCounter = 1'000'000'000'000ull;

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = getenv("TMPDIR");
    std::string tmpl = std::string{tmp ? tmp : "/tmp"} + "/ffclock-cli-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    env_.out = &out_;
    env_.err = &err_;
    env_.clock_options.counter = &read_fake;
    env_.clock_options.counter_ctx = &counter_;
    env_.clock_options.host_vmclock_path.clear();
    env_.nominal_hz = [](uint8_t) { return std::optional<uint64_t>{1'000'000'000}; };
    env_.monotonic_now = [this] { return mono_; };
    env_.wait_for_update = [this](const Clock&, Duration d) { pass(d); };
    env_.sleep = [this](Duration d) { pass(d); };
    env_.stop_requested = [] { return false; };
  }
  void TearDown() override {
    writer_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Time passes: the fake counter (1 GHz) and the fake monotonic clock move together, then
  // the test's hook runs (e.g. to publish something meanwhile).
  void pass(Duration d) {
    mono_ += d;
    counter_.advance(static_cast<uint64_t>(d.to_nanoseconds()));
    if (on_time_passed_) on_time_passed_(mono_);
  }

  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  std::string page_path() const { return path("clock"); }
  std::string sources_path() const { return path("sources"); }

 public:
  // A synchronized publication anchored at kAnchorCounter / kAnchorUtc (TSC counter, 1 GHz,
  // maxerror 100 us + 1 ppm of age, esterror 10 us + 0.01 ppm of age, TAI-UTC 37).
  static core::PageInput synced() {
    core::PageInput in = synced_input(kAnchorCounter, UtcTime::from_unix(kAnchorUtc));
    in.source.stratum = 1;
    in.source.refid = 0x47505300;  // "GPS"
    in.source.root_delay = Duration::microseconds(85);
    in.source.root_dispersion = Duration::microseconds(12);
    return in;
  }

 protected:
  void publish(const core::PageInput& in) {
    if (!writer_) {
      auto w = platform::PageWriter::open_file(page_path(), counter_);
      ASSERT_TRUE(w.has_value()) << w.error().message;
      writer_.emplace(std::move(w).value());
    }
    writer_->publish(in);
  }
  void write_file(const std::string& file, const std::string& text) {
    std::ofstream f(file, std::ios::binary | std::ios::trunc);
    f << text;
  }

  CliRun run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    CliRun r;
    r.code = tool::run_cli(args, env_);
    r.out = out_.str();
    r.err = err_.str();
    return r;
  }

  std::string dir_;
  platform::FakeCounter counter_{kAnchorCounter};
  std::optional<platform::PageWriter> writer_;
  Duration mono_ = Duration::seconds(1000);
  std::ostringstream out_;
  std::ostringstream err_;
  tool::CliEnv env_;
  std::function<void(Duration)> on_time_passed_;
};

// A sources page as ffclockd writes it: one selected server, one falseticker, the system
// source without an exchange yet, and server counters.
inline const char* const kSourcesJson = R"({
  "version": 1,
  "written_utc": "2026-11-29T23:00:48.500000000Z",
  "daemon": {"pid": 1234, "version": "0.1.0", "started_utc": "2026-11-29T22:00:00Z"},
  "page": "/run/ffclock/page",
  "selected": "127.0.0.1:11123",
  "step_generation": 0,
  "leap": "none",
  "future_key": {"ignored": true},
  "sources": [
    {"name": "127.0.0.1:11123", "address": "127.0.0.1:11123", "mode": "server", "state": "selected",
     "reach": 255, "poll_log2": 4, "stratum": 1, "refid": "GPS", "last_rtt_ns": 85000, "min_rtt_ns": 61000,
     "offset_ns": -1200, "bound_ns": 42000, "last_update_age_s": 1.5, "exchanges": 120, "rejected": 3,
     "kod": null},
    {"name": "ntp.example.org", "address": "192.0.2.7:123", "mode": "pool", "state": "falseticker",
     "reach": 119, "poll_log2": 6, "stratum": 2, "refid": "10.0.0.1", "last_rtt_ns": 20350000,
     "min_rtt_ns": 19875000, "offset_ns": 500012000, "bound_ns": 10200000, "last_update_age_s": 33.25,
     "exchanges": 40, "rejected": 0, "kod": "RATE", "unknown_per_source": 5},
    {"name": "system", "address": "", "mode": "system", "state": "initializing", "reach": 0, "poll_log2": 0,
     "stratum": 0, "refid": "", "last_rtt_ns": null, "min_rtt_ns": null, "offset_ns": null, "bound_ns": null,
     "last_update_age_s": null, "exchanges": 0, "rejected": 0, "kod": null}
  ],
  "server": {"requests": 10, "replies": 8, "kod_sent": 1,
             "dropped": {"malformed": 1, "rate_limited": 0, "denied": 1, "mode": 0}}
})";

}  // namespace ffclock::testing
