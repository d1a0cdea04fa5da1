// SPDX-License-Identifier: BSD-2-Clause
// `ffclock wait-sync`: wait until the published clock is synchronized within --max-error,
// for at most --timeout (default: until interrupted). Exit 0 once it is, 1 on timeout or
// interruption, 2 for bad options or a path that is not a clock page. A page that does not
// exist yet is waited for: the daemon may be starting.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "cli_env.hpp"
#include "clock_names.hpp"
#include "command_registry.hpp"
#include "common/cli11.hpp"
#include "common_options.hpp"
#include "core/time/rfc3339.hpp"
#include "duration_option.hpp"
#include "exit_codes.hpp"
#include "page_view.hpp"
#include "time_text.hpp"

namespace ffclock::tool {
namespace {

constexpr Duration kWaitSlice = Duration::milliseconds(500);  // how often SIGINT is looked at
constexpr Duration kReopenDelay = Duration::milliseconds(100);

struct WaitSyncArgs {
  CommonOptions common;
  Duration max_error = kUnbounded;
  std::optional<Duration> timeout;
};

std::string state_text(const std::optional<ClockReading>& r) {
  if (!r) return "no clock page";
  return fmt::format("status {}, maxerror {}", status_name(r->status),
                     r->maxerror < kUnbounded ? duration_text(r->maxerror) : "unbounded");
}

int run_wait_sync(const WaitSyncArgs& args, CliEnv& env) {
  const PagePaths paths = resolve_page_paths(args.common);
  const Duration start = env.monotonic_now();
  std::optional<Clock> clock;
  std::optional<ClockReading> last;
  for (;;) {
    if (!clock) {
      try {
        clock.emplace(open_clock_page(paths.page, env));
      } catch (const CommandError& e) {
        if (e.code() != kExitNotUsable) throw;  // not a page: waiting will not help
      }
    }
    if (clock) {
      if (auto r = clock->read()) {
        last = *r;
        if (synchronized_within(*r, args.max_error)) {
          const Duration waited = env.monotonic_now() - start;
          if (args.common.json) {
            *env.out << nlohmann::json{{"status", status_name(r->status)},
                                       {"maxerror_ns", r->maxerror.to_nanoseconds()},
                                       {"utc", utc_text(*r)},
                                       {"waited_s", waited.to_seconds()}}
                            .dump(2)
                     << '\n';
          } else {
            *env.out << fmt::format("synchronized: maxerror {} after {:.1f} s\n", duration_text(r->maxerror),
                                    waited.to_seconds());
          }
          return kExitOk;
        }
      }
    }
    const Duration elapsed = env.monotonic_now() - start;
    if (args.timeout && elapsed >= *args.timeout) {
      throw CommandError(
          kExitNotUsable,
          fmt::format("not synchronized{} after {} ({})",
                      args.max_error < kUnbounded ? " within " + duration_text(args.max_error) : "",
                      duration_text(*args.timeout), state_text(last)));
    }
    if (env.stop_requested && env.stop_requested()) {
      throw CommandError(kExitNotUsable, "interrupted (" + state_text(last) + ")");
    }
    const Duration left = args.timeout ? *args.timeout - elapsed : kWaitSlice;
    if (clock) {
      env.wait_for_update(*clock, std::min(left, kWaitSlice));
    } else {
      env.sleep(std::min(left, kReopenDelay));
    }
  }
}

void add_wait_sync_command(CLI::App& app, CliEnv& env, CommandResult& result) {
  auto args = std::make_shared<WaitSyncArgs>();
  CLI::App* cmd = app.add_subcommand("wait-sync", "Wait until the clock is synchronized within a bound");
  add_common_options(*cmd, args->common, false);
  add_duration_option(
      *cmd, "--max-error", [args](Duration d) { args->max_error = d; },
      "Largest acceptable maxerror, e.g. 1ms (default: any bound)");
  add_duration_option(
      *cmd, "--timeout", [args](Duration d) { args->timeout = d; },
      "Give up after this long, e.g. 60s (default: wait until interrupted)");
  cmd->callback([args, &env, &result] { result.exit_code = run_wait_sync(*args, env); });
}

const CommandRegistration kWaitSync{"wait-sync", add_wait_sync_command};

}  // namespace
}  // namespace ffclock::tool
