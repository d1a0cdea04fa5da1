// The registry of ffclock subcommands (see command_registry.hpp).
#include "command_registry.hpp"

#include <CLI/CLI.hpp>
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

CommandRegistration::CommandRegistration(std::string name, AddCommand add) { registry().emplace(std::move(name), add); }

void add_registered_commands(CLI::App& app) {
  for (const auto& [name, add] : registry()) add(app);
}

}  // namespace ffclock::tool
