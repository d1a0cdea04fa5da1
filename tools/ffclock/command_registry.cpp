// SPDX-License-Identifier: BSD-2-Clause
// The registry of ffclock subcommands (see command_registry.hpp).
#include "command_registry.hpp"

#include <map>
#include <utility>

namespace ffclock::tool {
namespace {

// A function-local static: registrations run during static initialisation of other files.
std::map<std::string, AddCommand>& registry() {
  static std::map<std::string, AddCommand> commands;
  return commands;
}

}  // namespace

CommandRegistration::CommandRegistration(std::string name, AddCommand add) {
  registry().emplace(std::move(name), add);
}

void add_registered_commands(CLI::App& app, CliEnv& env, CommandResult& result) {
  for (const auto& [name, add] : registry()) add(app, env, result);
}

std::vector<std::string> registered_command_names() {
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.first);
  return names;
}

}  // namespace ffclock::tool
