// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// How old the sources page is, by the published clock (for `sources` and `serverstats`).

#include <optional>
#include <string>

#include "cli_env.hpp"
#include "sources_page.hpp"

namespace ffclock::tool {

// Seconds since the page's written_utc by the clock page at `clock_page`; nothing when either
// is unreadable (the clock page is not these commands' subject).
[[nodiscard]] std::optional<double> sources_page_age(const SourcesPage& sources,
                                                     const std::string& clock_page, const CliEnv& env);

}  // namespace ffclock::tool
