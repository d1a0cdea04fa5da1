// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// ffclock's metrics for Prometheus, from the clock page and the sources page: what
// `ffclock metrics` prints and `metrics --listen` serves. Names follow Prometheus's
// conventions (ffclock_ prefix, base units in the name: _seconds, _ratio, _total for counters).
// A page that cannot be read is reported by ffclock_clock_page_up / ffclock_sources_page_up = 0,
// so a scrape never fails only because the daemon is down.

#include <optional>
#include <string>

#include "cli_env.hpp"
#include "config_paths.hpp"
#include "exposition.hpp"
#include "page_view.hpp"
#include "sources_page.hpp"

namespace ffclock::tool {

struct MetricsInput {
  std::optional<PageView> clock;
  std::string clock_error;  // why `clock` is empty
  int clock_error_code = 0;
  std::optional<SourcesPage> sources;
  std::string sources_error;
  int sources_error_code = 0;
};

// Reads both pages; never throws for an unreadable page (the error is kept).
[[nodiscard]] MetricsInput collect_metrics(const PagePaths& paths, const CliEnv& env);

[[nodiscard]] Exposition build_metrics(const MetricsInput& input);

}  // namespace ffclock::tool
