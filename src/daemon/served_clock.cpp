// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/served_clock.hpp"

#include <algorithm>

namespace ffclock::daemon {

UtcTime utc_at(const core::PageInput& in, uint64_t counter) {
  UtcTime t = in.params.time_at(counter);
  if (in.next_leap && in.next_leap->event.delta != 0) {
    // The anchor's UTC uses the offset before the leap; past the leap instant UTC moves by it.
    const UtcTime leap = UtcTime::from_unix(in.next_leap->event.leap_utc_s);
    if (in.params.anchor_time < leap && t >= leap) t -= Duration::seconds(in.next_leap->event.delta);
  }
  return t;
}

std::optional<ServedView> served_view(const std::optional<core::PageInput>& latest, uint64_t counter,
                                      uint32_t refid, int8_t precision) {
  if (!latest) return std::nullopt;
  const core::PageInput& in = *latest;
  ServedView v;
  v.time = utc_at(in, counter);
  core::server::ServedClock& c = v.clock;
  const Duration age = abs(in.params.period.ticks_to_duration(static_cast<int64_t>(counter - in.fresh_at())));
  c.synchronized = in.params.status == core::SyncStatus::Synchronized && !in.unreliable &&
                   age < in.stale_after && in.source.stratum < 16;
  c.stratum = static_cast<uint8_t>(std::min<int>(in.source.stratum + 1, 16));
  c.refid = refid;
  c.root_delay = in.source.root_delay;
  // A client's root distance (delay / 2 + dispersion) is then our own bound at this instant.
  const Duration bound = in.params.maxerror_at(counter);
  c.root_dispersion = std::max(Duration{}, bound - in.source.root_delay / 2);
  c.reference_time = in.params.time_at(in.fresh_at());  // when the clock last had data
  c.precision = precision;
  c.leap = core::LeapIndicator::None;
  if (in.next_leap && in.next_leap->event.leap_utc_s > v.time.unix_seconds()) {
    c.leap =
        in.next_leap->event.delta > 0 ? core::LeapIndicator::InsertSecond : core::LeapIndicator::DeleteSecond;
  }
  return v;
}

}  // namespace ffclock::daemon
