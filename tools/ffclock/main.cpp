// ffclock: the command-line tool for inspecting this machine's time sources and, later, for
// reading and checking the published clock. Subcommands live in their own files
// (*_command.cpp) and register themselves (command_registry.hpp).
// GCC 12 at -O2 reports a false -Wnull-dereference inside CLI11 2.1's detail::split() once it
// is inlined into this file's parse call; the code is correct and not ours.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop

#include "command_registry.hpp"

int main(int argc, char** argv) {
  CLI::App app{"ffclock: feed-forward clock tool"};
  app.require_subcommand(1);
  ffclock::tool::add_registered_commands(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
