// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What the NTP server tells its clients, derived from the daemon's latest publication: the
// time at a counter value, and the header fields (stratum, refid, root delay and dispersion
// from the published bound, leap indicator, synchronized or not).

#include <cstdint>
#include <optional>

#include "core/page/page_input.hpp"
#include "core/server/ntp_server.hpp"

namespace ffclock::daemon {

struct ServedView {
  core::server::ServedClock clock;
  UtcTime time;  // UTC at the counter value asked for
};

// `refid`: what to put in the reference id (the upstream server's IPv4 address, or a code);
// `precision`: log2 s of the timestamps. nullopt when nothing was published yet.
[[nodiscard]] std::optional<ServedView> served_view(const std::optional<core::PageInput>& latest,
                                                    uint64_t counter, uint32_t refid, int8_t precision);

// UTC at `counter` from a publication (its anchor's UTC plus the local period; a leap second
// inside the interval is applied as the reader would).
[[nodiscard]] UtcTime utc_at(const core::PageInput& in, uint64_t counter);

}  // namespace ffclock::daemon
