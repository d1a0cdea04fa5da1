// SPDX-License-Identifier: BSD-2-Clause
// The sources page's age (see sources_page_age.hpp).
#include "sources_page_age.hpp"

#include "core/time/rfc3339.hpp"
#include "exit_codes.hpp"
#include "page_view.hpp"

namespace ffclock::tool {

std::optional<double> sources_page_age(const SourcesPage& sources, const std::string& clock_page,
                                       const CliEnv& env) {
  const auto written = core::parse_rfc3339(sources.written_utc);
  if (!written) return std::nullopt;
  try {
    const Clock clock = open_clock_page(clock_page, env);
    const auto r = clock.now();
    if (!r) return std::nullopt;
    return (r->utc - *written).to_seconds();
  } catch (const CommandError&) {
    return std::nullopt;
  }
}

}  // namespace ffclock::tool
