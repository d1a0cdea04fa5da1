// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What `sources` prints: a table like `chronyc sources` (reach in octal) and JSON.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sources_page.hpp"

namespace ffclock::tool {

// `age`: how old the sources page is by the published clock, when known.
[[nodiscard]] nlohmann::json sources_to_json(const SourcesPage& page, std::optional<double> age_s);
[[nodiscard]] std::string sources_to_text(const SourcesPage& page, std::optional<double> age_s);

}  // namespace ffclock::tool
