// ffclock: the command-line tool for inspecting this machine's time sources and, later, for
// reading and checking the published clock. Subcommands live in their own files
// (*_command.cpp) and register themselves (command_registry.hpp).
#include "command_registry.hpp"
#include "common/cli11.hpp"

int main(int argc, char** argv) {
  CLI::App app{"ffclock: feed-forward clock tool"};
  app.require_subcommand(1);
  ffclock::tool::add_registered_commands(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
