// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A publication for the NTP server tests (the task on the simulated runtime and the serving
// threads): SYNCHRONIZED, a 1 GHz counter anchored at `at`, a 100 us bound, stratum 1 "GPS".

#include "core/page/page_input.hpp"

namespace ffclock::test {

inline core::PageInput served_publication(uint64_t anchor_counter, UtcTime at,
                                          Duration stale_after = core::PageInput{}.stale_after) {
  core::PageInput in;
  in.params.anchor_counter = anchor_counter;
  in.params.anchor_time = at;
  in.params.period = in.params.local_period = CounterPeriod::from_seconds(1e-9L);
  in.params.time_maxerror = Duration::microseconds(100);
  in.params.period_maxerror_rel = 1e-6;
  in.params.status = core::SyncStatus::Synchronized;
  in.stale_after = stale_after;
  in.source = core::SourceSummary{1, 0x47505300, Duration::microseconds(20), Duration::microseconds(5)};
  return in;
}

}  // namespace ffclock::test
