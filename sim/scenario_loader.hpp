// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Scenario TOML files (format: sim/README.md). A file may name a `base` scenario (a path
// relative to itself) and override any of its keys. Every key is checked: a missing
// required key, a wrong type, a value out of range or an unknown key is an error that names
// the file, the key and the reason.

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "sim/scenario.hpp"

namespace ffclock::sim {

struct ScenarioError {
  std::string file;
  std::string key;  // dotted path, e.g. "network.forward.min_s" or "events[2].type"
  std::string reason;
  std::string message() const;  // "file: key: reason"
};

core::Result<Scenario, ScenarioError> load_scenario_file(const std::string& path);
// `source` names the text in errors; `base` paths are resolved relative to `base_dir`.
core::Result<Scenario, ScenarioError> parse_scenario(std::string_view text, const std::string& source,
                                                     const std::string& base_dir = ".");

}  // namespace ffclock::sim
