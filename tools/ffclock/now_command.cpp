// SPDX-License-Identifier: BSD-2-Clause
// `ffclock now`: read the published clock once: UTC, TAI, earliest/latest, errors, status,
// leap state and the smeared variants (text or JSON). Exit 0 only when the clock is usable
// (synchronized or freerunning, with a bound), 1 otherwise, 2 for a path that is not a page.
#include <memory>
#include <ostream>

#include "cli_env.hpp"
#include "clock_names.hpp"
#include "clock_report.hpp"
#include "command_registry.hpp"
#include "common/cli11.hpp"
#include "common_options.hpp"
#include "exit_codes.hpp"

namespace ffclock::tool {
namespace {

struct NowArgs {
  CommonOptions common;
  std::string host_vmclock = kDefaultHostVmclockPath;
};

int run_now(const NowArgs& args, CliEnv& env) {
  const PagePaths paths = resolve_page_paths(args.common);
  CliEnv local = env;
  if (env.clock_options.host_page == nullptr &&
      env.clock_options.host_vmclock_path == kDefaultHostVmclockPath) {
    local.clock_options.host_vmclock_path = args.host_vmclock;
  }
  const Clock clock = open_clock_page(paths.page, local);
  const PageView view = read_page_view(clock, local);
  if (args.common.json) {
    *env.out << now_to_json(view).dump(2) << '\n';
  } else {
    *env.out << now_to_text(view);
  }
  if (!usable(view.reading)) {
    *env.err << "ffclock now: the clock is not usable (status " << status_name(view.reading.status) << ")\n";
    return kExitNotUsable;
  }
  return kExitOk;
}

void add_now_command(CLI::App& app, CliEnv& env, CommandResult& result) {
  auto args = std::make_shared<NowArgs>();
  CLI::App* cmd =
      app.add_subcommand("now", "Read the published clock: UTC, TAI, bounds, status, leap, smears");
  add_common_options(*cmd, args->common, false);
  cmd->add_option("--host-vmclock", args->host_vmclock, "Host vmclock device (\"\" to skip the check)")
      ->capture_default_str();
  cmd->callback([args, &env, &result] { result.exit_code = run_now(*args, env); });
}

const CommandRegistration kNow{"now", add_now_command};

}  // namespace
}  // namespace ffclock::tool
