// SPDX-License-Identifier: BSD-2-Clause
// `ffclock serverstats`: ffclockd's NTP server counters from the sources page, like
// `chronyc serverstats`: requests, replies, KoD RATE sent and requests dropped by reason
// (totals over every [[server]] listener). Exit 1 when there is no sources page (ffclockd not
// running) or the daemon serves no NTP, 2 when the page is not a valid one.
#include <memory>
#include <ostream>

#include "cli_env.hpp"
#include "command_registry.hpp"
#include "common/cli11.hpp"
#include "common_options.hpp"
#include "exit_codes.hpp"
#include "serverstats_report.hpp"
#include "sources_page_age.hpp"

namespace ffclock::tool {
namespace {

int run_serverstats(const CommonOptions& args, CliEnv& env) {
  const PagePaths paths = resolve_page_paths(args);
  auto sources = load_sources_page(paths.sources_page);
  if (!sources)
    throw CommandError(sources.error().not_found ? kExitNotUsable : kExitUsage, sources.error().message);
  if (!sources->server) {
    throw CommandError(kExitNotUsable,
                       "ffclockd serves no NTP (no [[server]] in its configuration); sources page " +
                           paths.sources_page + " has no server counters");
  }
  const auto age = sources_page_age(*sources, paths.page, env);
  if (args.json) {
    *env.out << serverstats_to_json(*sources, *sources->server, age).dump(2) << '\n';
  } else {
    *env.out << serverstats_to_text(*sources, *sources->server, age);
  }
  return kExitOk;
}

void add_serverstats_command(CLI::App& app, CliEnv& env, CommandResult& result) {
  auto args = std::make_shared<CommonOptions>();
  CLI::App* cmd = app.add_subcommand(
      "serverstats", "The daemon's NTP server counters: requests, replies, KoD RATE sent, drops by reason");
  add_common_options(*cmd, *args, true);
  cmd->callback([args, &env, &result] { result.exit_code = run_serverstats(*args, env); });
}

const CommandRegistration kServerstats{"serverstats", add_serverstats_command};

}  // namespace
}  // namespace ffclock::tool
