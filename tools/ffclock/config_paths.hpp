// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Where the pages are: the [clock] table of ffclockd's TOML configuration ("page" and
// "sources-page"), or the defaults ffclockd itself uses. Only these two keys are read here;
// ffclockd validates the rest of the file.

#include <string>

#include "core/result.hpp"

namespace ffclock::tool {

inline constexpr const char* kDefaultSourcesPagePath = "/run/ffclock/sources";
inline constexpr size_t kMaxConfigBytes = 1 << 20;

struct PagePaths {
  std::string page;
  std::string sources_page;
};

[[nodiscard]] PagePaths default_page_paths();

// The paths from configuration text (`origin` names the file in messages). A key of the wrong
// type, a [clock] that is not a table, or a syntax error is an error naming file, key and line.
[[nodiscard]] core::Result<PagePaths, std::string> page_paths_from_config(const std::string& text,
                                                                          const std::string& origin);

// The same from a file (regular, at most kMaxConfigBytes).
[[nodiscard]] core::Result<PagePaths, std::string> page_paths_from_config_file(const std::string& path);

}  // namespace ffclock::tool
