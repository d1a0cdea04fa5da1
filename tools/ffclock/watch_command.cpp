// SPDX-License-Identifier: BSD-2-Clause
// `ffclock watch`: the clock's state, refreshed every second until interrupted (redrawn in
// place on a terminal; one JSON object per line with --json). `watch --steps` instead waits
// on the page for publications and prints one line per step of absolute time.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli_env.hpp"
#include "clock_names.hpp"
#include "clock_report.hpp"
#include "command_registry.hpp"
#include "common/cli11.hpp"
#include "common_options.hpp"
#include "duration_option.hpp"
#include "exit_codes.hpp"
#include "page_view.hpp"
#include "time_text.hpp"

namespace ffclock::tool {
namespace {

constexpr Duration kStepWaitSlice = Duration::milliseconds(500);  // how often SIGINT is looked at

struct WatchArgs {
  CommonOptions common;
  bool steps = false;
  Duration interval = Duration::seconds(1);
  uint64_t count = 0;  // 0: until interrupted
};

bool stop(const CliEnv& env) { return env.stop_requested && env.stop_requested(); }

// Waits `d` on the page (returns early on a publication only when `on_update`).
void pause(const CliEnv& env, const Clock& clock, Duration d, bool on_update) {
  if (on_update) {
    env.wait_for_update(clock, d);
  } else {
    env.sleep(d);
  }
}

int run_refresh(const WatchArgs& args, CliEnv& env, const Clock& clock) {
  for (uint64_t n = 0; args.count == 0 || n < args.count; ++n) {
    if (n > 0) pause(env, clock, args.interval, false);
    if (stop(env)) break;
    const PageView view = read_page_view(clock, env);
    if (args.common.json) {
      *env.out << now_to_json(view).dump() << '\n';
    } else {
      if (env.out_is_terminal) *env.out << "\x1b[H\x1b[2J";  // home, clear
      *env.out << status_to_text(view, std::nullopt) << (env.out_is_terminal ? "" : "\n");
    }
    env.out->flush();
  }
  return kExitOk;
}

int run_steps(const WatchArgs& args, CliEnv& env, const Clock& clock) {
  auto first = clock.read();
  if (!first) throw CommandError(kExitNotUsable, to_string(first.error()));
  uint64_t generation = first->step_generation;
  if (!args.common.json) {
    *env.out << fmt::format("waiting for steps (step generation {})\n", generation);
    env.out->flush();
  }
  uint64_t seen = 0;
  while ((args.count == 0 || seen < args.count) && !stop(env)) {
    pause(env, clock, kStepWaitSlice, true);
    const auto r = clock.read();
    if (!r || r->step_generation == generation) continue;
    const uint64_t steps = r->step_generation - generation;
    generation = r->step_generation;
    ++seen;
    if (args.common.json) {
      *env.out << nlohmann::json{{"step_generation", generation},
                                 {"steps", steps},
                                 {"utc", utc_text(*r)},
                                 {"status", status_name(r->status)},
                                 {"maxerror_ns", r->maxerror < kUnbounded
                                                     ? nlohmann::json(r->maxerror.to_nanoseconds())
                                                     : nlohmann::json(nullptr)}}
                      .dump()
               << '\n';
    } else {
      *env.out << fmt::format("{}  step generation {}{}: status {}, maxerror {}\n", utc_text(*r), generation,
                              steps > 1 ? fmt::format(" ({} steps)", steps) : "", status_name(r->status),
                              r->maxerror < kUnbounded ? duration_text(r->maxerror) : "unbounded");
    }
    env.out->flush();
  }
  return kExitOk;
}

int run_watch(const WatchArgs& args, CliEnv& env) {
  const PagePaths paths = resolve_page_paths(args.common);
  const Clock clock = open_clock_page(paths.page, env);
  return args.steps ? run_steps(args, env, clock) : run_refresh(args, env, clock);
}

void add_watch_command(CLI::App& app, CliEnv& env, CommandResult& result) {
  auto args = std::make_shared<WatchArgs>();
  CLI::App* cmd =
      app.add_subcommand("watch", "Show the clock's state every second (or each step) until interrupted");
  add_common_options(*cmd, args->common, false);
  cmd->add_flag("--steps", args->steps, "Wait for steps of absolute time and print each one");
  add_duration_option(
      *cmd, "--interval",
      [args](Duration d) {
        if (d < Duration::milliseconds(10)) throw CLI::ValidationError("--interval", "at least 10ms");
        args->interval = d;
      },
      "Refresh interval (default 1s)");
  cmd->add_option("--count", args->count, "Stop after this many refreshes (or steps); 0: until interrupted")
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 40));
  cmd->callback([args, &env, &result] { result.exit_code = run_watch(*args, env); });
}

const CommandRegistration kWatch{"watch", add_watch_command};

}  // namespace
}  // namespace ffclock::tool
