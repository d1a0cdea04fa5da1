// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What `now` and `status` print, as text and as JSON, from one PageView (and, for status,
// the sources page when there is one). Pure functions of their inputs: the golden tests
// compare them byte for byte.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "page_view.hpp"
#include "sources_page.hpp"

namespace ffclock::tool {

[[nodiscard]] nlohmann::json now_to_json(const PageView& view);
[[nodiscard]] std::string now_to_text(const PageView& view);

[[nodiscard]] nlohmann::json status_to_json(const PageView& view, const std::optional<SourcesPage>& sources);
[[nodiscard]] std::string status_to_text(const PageView& view, const std::optional<SourcesPage>& sources);

}  // namespace ffclock::tool
