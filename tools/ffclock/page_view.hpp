// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// One look at the clock page for the reporting commands: the reader's reading plus what
// `status` and `metrics` show beyond it (estimated error, periods, rate errors, source
// summary, time since the last publication), all taken at the reading's counter value.

#include <cstdint>
#include <optional>
#include <string>

#include "cli_env.hpp"
#include "ffclock/clock.hpp"
#include "ffclock/period.hpp"

namespace ffclock::tool {

struct PageView {
  ClockReading reading;
  std::optional<Duration> esterror;  // when the page marks its estimated error valid
  uint8_t counter_id = FFCLOCK_COUNTER_INVALID;
  CounterPeriod period;        // long-term period (difference clock)
  CounterPeriod local_period;  // the period absolute time is extrapolated with
  std::optional<uint64_t> nominal_hz;
  std::optional<double> rate_esterror;  // relative (s/s), when valid
  std::optional<double> rate_maxerror;
  Duration since_update;  // since the last publication
  uint64_t publications = 0;
  uint8_t stratum = 0;
  uint32_t refid = 0;
  Duration root_delay;
  Duration root_dispersion;
  bool tai_offset_valid = false;
  bool leap_table_expired = false;
  std::optional<Duration> monotonic;
};

// Opens the page at `path` through env.clock_options. Throws CommandError: exit 1 when there
// is no page (the daemon is not running), exit 2 when the path is not a regular file or does
// not hold a clock page.
[[nodiscard]] Clock open_clock_page(const std::string& path, const CliEnv& env);

// Reads the page once. Throws CommandError (exit 1) when nothing can be read.
[[nodiscard]] PageView read_page_view(const Clock& clock, const CliEnv& env);

// The period's deviation from nominal in ppm: (period * nominal_hz - 1) * 1e6 (positive: the
// counter runs slow).
[[nodiscard]] double period_ppm(CounterPeriod period, uint64_t nominal_hz);

// An NTP reference id: four ASCII characters for stratum 0/1 and 16 and kiss codes, else
// dotted IPv4.
[[nodiscard]] std::string refid_text(uint32_t refid, uint8_t stratum);

}  // namespace ffclock::tool
