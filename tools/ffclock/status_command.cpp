// SPDX-License-Identifier: BSD-2-Clause
// `ffclock status`: the clock's state like `chronyc tracking`: status, selected source,
// errors, periods against nominal, last update, leap, steps. The sources page is optional
// here (it only names the selected source). Exit 0 only when the clock is usable.
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

int run_status(const CommonOptions& args, CliEnv& env) {
  const PagePaths paths = resolve_page_paths(args);
  const Clock clock = open_clock_page(paths.page, env);
  const PageView view = read_page_view(clock, env);
  std::optional<SourcesPage> sources;
  if (auto loaded = load_sources_page(paths.sources_page)) {
    sources = std::move(loaded).value();
  } else if (!loaded.error().not_found) {
    *env.err << "ffclock status: " << loaded.error().message << " (selected source not shown)\n";
  }
  if (args.json) {
    *env.out << status_to_json(view, sources).dump(2) << '\n';
  } else {
    *env.out << status_to_text(view, sources);
  }
  if (!usable(view.reading)) {
    *env.err << "ffclock status: the clock is not usable (status " << status_name(view.reading.status)
             << ")\n";
    return kExitNotUsable;
  }
  return kExitOk;
}

void add_status_command(CLI::App& app, CliEnv& env, CommandResult& result) {
  auto args = std::make_shared<CommonOptions>();
  CLI::App* cmd =
      app.add_subcommand("status", "The clock's state: status, source, errors, periods, leap, steps");
  add_common_options(*cmd, *args, true);
  cmd->callback([args, &env, &result] { result.exit_code = run_status(*args, env); });
}

const CommandRegistration kStatus{"status", add_status_command};

}  // namespace
}  // namespace ffclock::tool
