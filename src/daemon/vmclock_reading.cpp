// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/vmclock_reading.hpp"

namespace ffclock::daemon {

core::engine::VmclockSample to_vmclock_sample(const platform::VmclockSnapshot& s, uint64_t read_counter) {
  core::engine::VmclockSample out;
  out.read_counter = read_counter;
  out.flags = s.flags;
  out.clock_status = s.clock_status;
  out.counter_id = s.counter_id;
  out.time_type = s.time_type;
  out.counter_value = s.counter_value;
  out.period = CounterPeriod{s.counter_period_frac_sec, s.counter_period_shift};
  out.period_esterror_rate_frac = s.counter_period_esterror_rate_frac_sec;
  out.period_maxerror_rate_frac = s.counter_period_maxerror_rate_frac_sec;
  out.time_sec = s.time_sec;
  out.time_frac = s.time_frac_sec;
  out.time_esterror_ns = s.time_esterror_nanosec;
  out.time_maxerror_ns = s.time_maxerror_nanosec;
  return out;
}

}  // namespace ffclock::daemon
