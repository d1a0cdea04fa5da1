// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Subcommands of the `ffclock` tool register themselves here, one file per subcommand, so a new
// command is a new file and the tool's entry never changes:
//
//   void add_probe_command(CLI::App& app, CliEnv& env) { ... }
//   const ffclock::tool::CommandRegistration kProbe{"probe", add_probe_command};
//
// A command's callback stores its exit code in the CommandResult it is given;
// errors are thrown as CommandError (exit_codes.hpp).

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ffclock::tool {

struct CliEnv;

// Where a command's callback leaves its exit code (the callback itself returns nothing).
struct CommandResult {
  int exit_code = 0;
};

using AddCommand = void (*)(CLI::App& app, CliEnv& env, CommandResult& result);

struct CommandRegistration {
  CommandRegistration(std::string name, AddCommand add);
};

// Adds every registered subcommand to `app`, in name order (stable --help).
void add_registered_commands(CLI::App& app, CliEnv& env, CommandResult& result);

// The registered names, in order.
[[nodiscard]] std::vector<std::string> registered_command_names();

}  // namespace ffclock::tool
