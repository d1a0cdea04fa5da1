// `ffclock sources`: the daemon's sources from the sources page, like `chronyc sources`:
// state, reach (octal), poll, last and minimum RTT, offset, bound. Exit 1 when there is no
// sources page (ffclockd not running), 2 when it is not a valid one.
#include <memory>
#include <ostream>

#include "cli_env.hpp"
#include "command_registry.hpp"
#include "common/cli11.hpp"
#include "common_options.hpp"
#include "core/time/rfc3339.hpp"
#include "exit_codes.hpp"
#include "page_view.hpp"
#include "sources_report.hpp"

namespace ffclock::tool {
namespace {

// How old the sources page is by the published clock; nothing when either is unreadable.
std::optional<double> page_age(const SourcesPage& sources, const std::string& clock_page, const CliEnv& env) {
  const auto written = core::parse_rfc3339(sources.written_utc);
  if (!written) return std::nullopt;
  try {
    const Clock clock = open_clock_page(clock_page, env);
    const auto r = clock.now();
    if (!r) return std::nullopt;
    return (r->utc - *written).to_seconds();
  } catch (const CommandError&) {
    return std::nullopt;  // the clock page is not this command's subject
  }
}

int run_sources(const CommonOptions& args, CliEnv& env) {
  const PagePaths paths = resolve_page_paths(args);
  auto sources = load_sources_page(paths.sources_page);
  if (!sources)
    throw CommandError(sources.error().not_found ? kExitNotUsable : kExitUsage, sources.error().message);
  const auto age = page_age(*sources, paths.page, env);
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
