// SPDX-License-Identifier: BSD-2-Clause
// `ffclock sources`: the daemon's sources from the sources page, like `chronyc sources`:
// state, reach (octal), poll, last and minimum RTT, offset, bound. Exit 1 when there is no
// sources page (ffclockd not running), 2 when it is not a valid one.
#include <memory>
#include <ostream>

#include "cli_env.hpp"
#include "command_registry.hpp"
#include "common/cli11.hpp"
#include "common_options.hpp"
#include "exit_codes.hpp"
#include "sources_page_age.hpp"
#include "sources_report.hpp"

namespace ffclock::tool {
namespace {

int run_sources(const CommonOptions& args, CliEnv& env) {
  const PagePaths paths = resolve_page_paths(args);
  auto sources = load_sources_page(paths.sources_page);
  if (!sources)
    throw CommandError(sources.error().not_found ? kExitNotUsable : kExitUsage, sources.error().message);
  const auto age = sources_page_age(*sources, paths.page, env);
  if (args.json) {
    *env.out << sources_to_json(*sources, age).dump(2) << '\n';
  } else {
    *env.out << sources_to_text(*sources, age);
  }
  return kExitOk;
}

void add_sources_command(CLI::App& app, CliEnv& env, CommandResult& result) {
  auto args = std::make_shared<CommonOptions>();
  CLI::App* cmd =
      app.add_subcommand("sources", "The daemon's time sources: state, reach, poll, RTT, offset, bound");
  add_common_options(*cmd, *args, true);
  cmd->callback([args, &env, &result] { result.exit_code = run_sources(*args, env); });
}

const CommandRegistration kSources{"sources", add_sources_command};

}  // namespace
}  // namespace ffclock::tool
