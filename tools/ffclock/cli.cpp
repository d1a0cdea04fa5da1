// SPDX-License-Identifier: BSD-2-Clause
// The `ffclock` tool's driver (see cli.hpp).
#include "cli.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>

#include "command_registry.hpp"
#include "common/cli11.hpp"
#include "exit_codes.hpp"
#include "version.hpp"

namespace ffclock::tool {
namespace {

int report_error(CliEnv& env, bool json, const std::string& where, const std::string& message, int code) {
  *env.err << where << ": " << message << '\n';
  if (json) *env.out << nlohmann::json{{"error", message}, {"code", code}}.dump() << '\n';
  return code;
}

std::string command_path(const CLI::App& app) {
  std::string path = "ffclock";
  for (const CLI::App* sub : app.get_subcommands()) path += " " + sub->get_name();
  return path;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, CliEnv& env) {
  // --json anywhere asks for errors as JSON too, even when the arguments do not parse.
  const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
  CLI::App app{"ffclock: read and check the feed-forward clock ffclockd publishes", "ffclock"};
  app.set_version_flag("--version", kVersionText, "Print the version and exit");
  app.require_subcommand(1);
  CommandResult result;
  add_registered_commands(app, env, result);

  if (args.empty()) {
    *env.err << app.help();
    return report_error(env, json, "ffclock", "no command given", kExitUsage);
  }
  if (!args.front().empty() && args.front().front() != '-') {
    const auto names = registered_command_names();
    if (std::find(names.begin(), names.end(), args.front()) == names.end()) {
      return report_error(env, json, "ffclock", "unknown command " + args.front() + " (try ffclock --help)",
                          kExitUsage);
    }
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, *env.out, *env.err);  // --help, --version
    return report_error(env, json, command_path(app), e.what(), kExitUsage);
  } catch (const CommandError& e) {
    return report_error(env, json, command_path(app), e.what(), e.code());
  } catch (const std::exception& e) {
    return report_error(env, json, command_path(app), e.what(), kExitUsage);
  }
  return result.exit_code;
}

}  // namespace ffclock::tool
