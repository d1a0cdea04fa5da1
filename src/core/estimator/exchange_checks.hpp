// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Admission checks on one exchange before it reaches the histories: RADclock's
// bad_packet_server (LI 3, stratum 0 or ≥ 16), insane_bidir_stamp (zero fields, counters
// that go back, impossible round trips) and the server-change warning (qual_warning).

#include <cstdint>

#include "core/exchange.hpp"

namespace ffclock::core::estimator {

enum class Admission : uint8_t { Ok, Insane, BadServer };

// The previous accepted exchange's counters; `valid` is false at the start of a run.
struct PreviousCounters {
  uint64_t ta = 0;
  uint64_t tf = 0;
  bool valid = false;
};

[[nodiscard]] bool server_unusable(const ServerInfo& s);
// `period_s` and `period_maxerror_rel` convert the RTT to seconds so that a server hold time
// (Te − Tb) longer than the round trip is caught.
[[nodiscard]] Admission admit(const Exchange& ex, PreviousCounters prev, uint64_t min_rtt_ticks,
                              long double period_s, double period_maxerror_rel);
// A change of stratum, refid or leap indicator (not poll or root delay/dispersion).
[[nodiscard]] bool server_changed(const ServerInfo& before, const ServerInfo& now);

}  // namespace ffclock::core::estimator
