// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The whole `ffclock` tool as a function: parse the arguments, run the subcommand, map every
// outcome onto the exit-code scheme (exit_codes.hpp). main() calls it with production_env();
// tests call it with in-memory streams and a fake counter.

#include <string>
#include <vector>

#include "cli_env.hpp"

namespace ffclock::tool {

// `args` excludes the program name.
[[nodiscard]] int run_cli(const std::vector<std::string>& args, CliEnv& env);

}  // namespace ffclock::tool
