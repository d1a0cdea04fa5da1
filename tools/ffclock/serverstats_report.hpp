// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What `serverstats` prints: ffclockd's NTP server counters from the sources page, as text
// like `chronyc serverstats` and as JSON.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sources_page.hpp"

namespace ffclock::tool {

// Requests that got no normal reply, whatever the reason (KoD RATE replies included: the
// server counts them as rate-limited).
[[nodiscard]] uint64_t dropped_total(const ServerCounters& c);

// `age`: how old the sources page is by the published clock, when known.
[[nodiscard]] nlohmann::json serverstats_to_json(const SourcesPage& page, const ServerCounters& c,
                                                 std::optional<double> age_s);
[[nodiscard]] std::string serverstats_to_text(const SourcesPage& page, const ServerCounters& c,
                                              std::optional<double> age_s);

}  // namespace ffclock::tool
