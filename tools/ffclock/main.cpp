// SPDX-License-Identifier: BSD-2-Clause
// ffclock: the command-line tool for reading and checking the clock ffclockd publishes, and
// for inspecting this machine's counters. The tool is cli.cpp's run_cli(); subcommands live
// in their own files (*_command.cpp) and register themselves (command_registry.hpp).
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "platform/stop_signals.hpp"

int main(int argc, char** argv) {
  // SIGINT/SIGTERM end `watch`, `wait-sync` and `metrics --listen` cleanly; when the handler
  // cannot be installed the default action (terminate) is still right.
  auto signals = ffclock::platform::StopSignals::install();
  ffclock::tool::CliEnv env = ffclock::tool::production_env();
  std::vector<std::string> args(argv + 1, argv + argc);
  const int code = ffclock::tool::run_cli(args, env);
  std::cout.flush();
  return code;
}
