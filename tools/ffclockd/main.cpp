// SPDX-License-Identifier: BSD-2-Clause
// ffclockd: the daemon. Parses its arguments and hands the configuration to the daemon layer.
//   ffclockd --config FILE        run in the foreground (logs to stderr, journald priorities)
//   ffclockd --check-config FILE  validate the file: exit 0, or 2 with one message
//   ffclockd --version
//   --eval-reference DEV          with --config: EVAL lines on stdout against a PTP clock
#include <cstdio>
#include <optional>
#include <string>

#include "common/cli11.hpp"
#include "daemon/daemon_config.hpp"
#include "daemon/daemon_main.hpp"
#include "daemon/log_sink.hpp"
#include "platform/reference_clock.hpp"

namespace {
constexpr int kBadConfig = 2;
}

int main(int argc, char** argv) {
  CLI::App app{"ffclockd: feed-forward clock daemon"};
  std::string config_path;
  std::string check_path;
  std::string eval_path;
  bool version = false;
  auto* run_opt = app.add_option("--config", config_path, "Run with this configuration file");
  auto* check_opt = app.add_option("--check-config", check_path, "Validate this configuration file and exit");
  app.add_flag("--version", version, "Print the version and exit");
  auto* eval_opt = app.add_option("--eval-reference", eval_path,
                                  "Once a second, print an EVAL line comparing the page with this PTP clock");
  eval_opt->needs(run_opt);
  run_opt->excludes(check_opt);
  CLI11_PARSE(app, argc, argv);

  if (version) {
    std::printf("ffclockd %s\n", ffclock::daemon::daemon_version());
    return 0;
  }
  if (!check_path.empty()) {
    auto c = ffclock::daemon::load_daemon_config(check_path);
    if (!c) {
      std::fprintf(stderr, "ffclockd: %s\n", ffclock::daemon::describe(c.error()).c_str());
      return kBadConfig;
    }
    std::printf("%s: OK (%zu source%s)\n", check_path.c_str(), c->sources.size(),
                c->sources.size() == 1 ? "" : "s");
    return 0;
  }
  if (config_path.empty()) {
    std::fprintf(stderr, "ffclockd: give --config FILE (or --check-config FILE, --version)\n");
    return kBadConfig;
  }
  auto c = ffclock::daemon::load_daemon_config(config_path);
  if (!c) {
    std::fprintf(stderr, "<3>ffclockd: %s\n", ffclock::daemon::describe(c.error()).c_str());
    return kBadConfig;
  }
  std::optional<ffclock::platform::PtpReferenceClock> reference;
  if (!eval_path.empty()) {
    auto r = ffclock::platform::PtpReferenceClock::open(eval_path);
    if (!r) {
      std::fprintf(stderr, "<3>ffclockd: --eval-reference %s: %s\n", eval_path.c_str(),
                   ffclock::platform::describe(r.error()).c_str());
      return kBadConfig;
    }
    reference.emplace(std::move(r).value());
  }
  ffclock::daemon::StreamLog log(stderr, c->log_level);
  return ffclock::daemon::run_daemon(*c, config_path, log, reference ? &*reference : nullptr);
}
