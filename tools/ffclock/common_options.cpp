// SPDX-License-Identifier: BSD-2-Clause
// The options shared by the page-reading subcommands (see common_options.hpp).
#include "common_options.hpp"

#include "common/cli11.hpp"
#include "exit_codes.hpp"
#include "version.hpp"

namespace ffclock::tool {

void add_version_flag(CLI::App& cmd) {
  cmd.set_version_flag("--version", kVersionText, "Print the version and exit");
}

void add_common_options(CLI::App& cmd, CommonOptions& options, bool with_sources) {
  cmd.add_option("--config", options.config,
                 "ffclockd configuration, to find the pages ([clock] page, sources-page)");
  cmd.add_option("--page", options.page, "Clock page path (default: from --config, else /run/ffclock/page)");
  if (with_sources) {
    cmd.add_option("--sources-page", options.sources_page,
                   "Sources page path (default: from --config, else /run/ffclock/sources)");
  }
  cmd.add_flag("--json", options.json, "Print JSON");
  add_version_flag(cmd);
}

PagePaths resolve_page_paths(const CommonOptions& options) {
  PagePaths paths = default_page_paths();
  if (!options.config.empty()) {
    auto from_config = page_paths_from_config_file(options.config);
    if (!from_config) throw CommandError(kExitUsage, from_config.error());
    paths = *from_config;
  }
  if (!options.page.empty()) paths.page = options.page;
  if (!options.sources_page.empty()) paths.sources_page = options.sources_page;
  return paths;
}

}  // namespace ffclock::tool
