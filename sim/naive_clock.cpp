// SPDX-License-Identifier: BSD-2-Clause
#include "sim/naive_clock.hpp"

namespace ffclock::sim {

core::ExchangeVerdict NaiveClock::add(const core::Exchange& ex) {
  if (ex.tf <= ex.ta || ex.te < ex.tb) return core::ExchangeVerdict::RejectedInsane;
  if (ex.server.stratum == 0 || ex.server.stratum >= 16 ||
      ex.server.leap == core::LeapIndicator::Unsynchronized) {
    return core::ExchangeVerdict::RejectedServer;
  }
  const uint64_t rtt_ticks = ex.tf - ex.ta;
  const uint64_t mid_counter = ex.ta + rtt_ticks / 2;
  const UtcTime mid_time = ex.tb + (ex.te - ex.tb) / 2;
  const Mid mid{static_cast<long double>(ex.ta) + static_cast<long double>(rtt_ticks) / 2.0L, mid_time};
  if (!first_) first_ = mid;
  long double period = nominal_period_s_;
  if (mid.counter - first_->counter > 1e6L) {
    period = (mid.time - first_->time).to_seconds_ld() / (mid.counter - first_->counter);
  }
  core::ClockParams p;
  p.anchor_counter = mid_counter;
  // The midpoint counter was rounded down by up to half a tick: shift the time to match.
  const long double rounding = static_cast<long double>(mid_counter) - mid.counter;
  p.anchor_time = mid_time + Duration::from_seconds(rounding * period);
  p.period = CounterPeriod::from_seconds(period);
  p.local_period = p.period;
  const Duration half_rtt = Duration::from_seconds(static_cast<long double>(rtt_ticks) * period / 2.0L);
  p.time_esterror = half_rtt;
  p.time_maxerror = half_rtt;
  p.period_esterror_rel = rate_bound_;
  p.period_maxerror_rel = rate_bound_;
  p.status = core::SyncStatus::Synchronized;
  params_ = p;
  return core::ExchangeVerdict::Used;
}

}  // namespace ffclock::sim
