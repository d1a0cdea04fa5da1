// SPDX-License-Identifier: BSD-2-Clause
// CLI11 for the tools' mains. GCC 12 reports a false -Wnull-dereference inside CLI11 2.1's
// detail::split() (std::vector<std::string> growth inlined into it) when built with Debian's
// flags; the diagnostic is turned off for CLI11's code only, so the tools keep the warning.
#ifndef FFCLOCK_TOOLS_CLI11_HPP
#define FFCLOCK_TOOLS_CLI11_HPP

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop

#endif
