#pragma once
// Subcommands of the `ffclock` tool register themselves here, one file per subcommand, so a new
// command is a new file and main.cpp never changes:
//
//   void add_probe_command(CLI::App& app) { ... }
//   const ffclock::tool::CommandRegistration kProbe{"probe", add_probe_command};

#include <string>

namespace CLI {
class App;
}

namespace ffclock::tool {

using AddCommand = void (*)(CLI::App&);

struct CommandRegistration {
  CommandRegistration(std::string name, AddCommand add);
};

// Adds every registered subcommand to `app`, in name order (stable --help).
void add_registered_commands(CLI::App& app);

}  // namespace ffclock::tool
