// SPDX-License-Identifier: BSD-2-Clause
// Exchange admission checks.
#include "core/estimator/exchange_checks.hpp"

namespace ffclock::core::estimator {

bool server_unusable(const ServerInfo& s) {
  return s.leap == LeapIndicator::Unsynchronized || s.stratum == 0 || s.stratum >= 16;
}

Admission admit(const Exchange& ex, PreviousCounters prev, uint64_t min_rtt_ticks, long double period_s,
                double period_maxerror_rel) {
  if (server_unusable(ex.server)) return Admission::BadServer;
  if (ex.ta == 0 || ex.tf == 0 || ex.tb == UtcTime{} || ex.te == UtcTime{}) return Admission::Insane;
  if (ex.tf < ex.ta || ex.te < ex.tb) return Admission::Insane;
  if (ex.tf - ex.ta < min_rtt_ticks) return Admission::Insane;
  // Counters only go forward; an equal Ta is a duplicate.
  if (prev.valid && (ex.ta <= prev.ta || ex.tf <= prev.tf)) return Admission::Insane;
  const long double rtt_s = period_s * static_cast<long double>(ex.tf - ex.ta) * (1.0L + period_maxerror_rel);
  if ((ex.te - ex.tb).to_seconds_ld() > rtt_s) return Admission::Insane;
  return Admission::Ok;
}

bool server_changed(const ServerInfo& before, const ServerInfo& now) {
  return before.stratum != now.stratum || before.refid != now.refid || before.leap != now.leap;
}

}  // namespace ffclock::core::estimator
