// SPDX-License-Identifier: BSD-2-Clause
// Page paths from ffclockd's configuration (see config_paths.hpp).
#include "config_paths.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "daemon/toml_type_name.hpp"
#include "ffclock/clock.hpp"
#include "input_file.hpp"

namespace ffclock::tool {
namespace {

// A path key of [clock]: absent (keep the default), a non-empty string, or an error.
std::optional<std::string> path_key(const toml::table& clock, std::string_view key, const std::string& origin,
                                    std::string& error) {
  const toml::node* node = clock.get(key);
  if (node == nullptr) return std::nullopt;
  const auto* text = node->as_string();
  const auto line = node->source().begin.line;
  if (text == nullptr) {
    error = fmt::format("{}:{}: [clock] {} must be a string (a path), not {}", origin, line, key,
                        daemon::toml_type_name(node->type()));
    return std::nullopt;
  }
  if (text->get().empty()) {
    error = fmt::format("{}:{}: [clock] {} is empty", origin, line, key);
    return std::nullopt;
  }
  return text->get();
}

}  // namespace

PagePaths default_page_paths() { return {kDefaultPagePath, kDefaultSourcesPagePath}; }

core::Result<PagePaths, std::string> page_paths_from_config(const std::string& text,
                                                            const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    return core::Unexpected{fmt::format("{}:{}: {}", origin, e.source().begin.line, e.description())};
  }
  PagePaths paths = default_page_paths();
  const toml::node* clock_node = root.get("clock");
  if (clock_node == nullptr) return paths;
  const toml::table* clock = clock_node->as_table();
  if (clock == nullptr) {
    return core::Unexpected{
        fmt::format("{}:{}: clock must be a table ([clock])", origin, clock_node->source().begin.line)};
  }
  std::string error;
  if (auto page = path_key(*clock, "page", origin, error)) paths.page = *page;
  if (!error.empty()) return core::Unexpected{error};
  if (auto sources = path_key(*clock, "sources-page", origin, error)) paths.sources_page = *sources;
  if (!error.empty()) return core::Unexpected{error};
  return paths;
}

core::Result<PagePaths, std::string> page_paths_from_config_file(const std::string& path) {
  auto text = read_input_file(path, kMaxConfigBytes);
  if (!text) return core::Unexpected{"configuration " + text.error().message};
  return page_paths_from_config(*text, path);
}

}  // namespace ffclock::tool
