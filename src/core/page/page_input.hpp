// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What the daemon publishes in the clock page, as values: the estimator's ClockParams plus
// the leap schedule, the source summary, disruption state and staleness policy. The page
// codec turns this into page field values; the writer stores them under the seqlock.

#include <cstdint>
#include <optional>

#include "core/clock_params.hpp"
#include "ffclock/smear.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core {

// The reference the clock follows, as NTP describes it.
struct SourceSummary {
  uint8_t stratum = 16;  // 16: unsynchronised
  uint32_t refid = 0;
  Duration root_delay;
  Duration root_dispersion;
};

// The next scheduled leap and the smear the daemon recommends for it.
struct LeapSchedule {
  LeapEvent event{0, 0, 0};
  SmearKind smear = SmearKind::NoonLinear;
  SmearWindow window = standard_window(SmearKind::NoonLinear);
};

struct PageInput {
  ClockParams params;
  uint8_t counter_id = 0xFF;  // FFCLOCK_COUNTER_* of the counter params refer to
  bool tai_offset_known = false;
  int32_t tai_minus_utc = 0;  // TAI - UTC at params.anchor_time
  std::optional<LeapSchedule> next_leap;
  bool leap_table_expired = false;
  SourceSummary source;
  uint64_t disruption_marker = 0;                  // the page's own marker: bumped on counter disruption
  std::optional<uint64_t> host_disruption_marker;  // host vmclock marker during calibration
  uint64_t vm_generation = 0;
  bool vm_generation_present = false;             // the host page flags VM_GEN_COUNTER_PRESENT
  bool disruption_soon = false;                   // the host announces a disruption (vmclock flag, passed on)
  bool disruption_imminent = false;               // ... and that it is imminent
  bool unreliable = false;                        // daemon saw a disruption: publish UNRELIABLE
  bool reference_step = false;                    // absolute time was stepped since the last publication
  Duration stale_after = Duration::seconds(300);  // from the newest data: then FREERUNNING
  Duration void_after = Duration::seconds(3600);  // from the newest data: then UNKNOWN
  // The counter value of the newest data behind params, when the line was re-anchored later
  // (a holdover refresh of its growing error): the data are no fresher for it.
  std::optional<uint64_t> data_counter;

  uint64_t fresh_at() const { return data_counter.value_or(params.anchor_counter); }
};

}  // namespace ffclock::core
