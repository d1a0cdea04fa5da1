// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The options every page-reading subcommand takes: --config FILE (ffclockd's configuration,
// to find the pages), --page PATH and --sources-page PATH (override it), --json, --version.

#include <string>

#include "config_paths.hpp"

namespace CLI {
class App;
}

namespace ffclock::tool {

struct CommonOptions {
  std::string config;        // empty: none
  std::string page;          // empty: from the configuration or the default
  std::string sources_page;  // empty: from the configuration or the default
  bool json = false;
};

// `with_sources`: whether the command reads the sources page (adds --sources-page).
void add_common_options(CLI::App& cmd, CommonOptions& options, bool with_sources);

// --version on a subcommand (the common options add it too).
void add_version_flag(CLI::App& cmd);

// The page paths: explicit options first, then the configuration, then the defaults.
// An unreadable or malformed configuration is a CommandError with exit code 2.
[[nodiscard]] PagePaths resolve_page_paths(const CommonOptions& options);

}  // namespace ffclock::tool
