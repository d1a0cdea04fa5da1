// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The host's vmclock page as a time source: one reading of its fields as plain values (the
// engine never sees the device), and the rules that make a reading usable on this machine —
// the host says SYNCHRONIZED, publishes the counter this daemon counts, UTC or TAI, a
// period and a finite error bound. A usable reading is the host's own line through
// {counter, time}, with its bound growing at the host's period error (ClockBound's vmclock
// path), not something to estimate.

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "ffclock/period.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core::engine {

// The vmclock fields, as read under the page's seqlock, and when.
struct VmclockSample {
  uint64_t read_counter = 0;  // this machine's counter right after the read
  uint64_t flags = 0;         // FFCLOCK_FLAG_* (page.h uses vmclock's bit numbers)
  uint8_t clock_status = 0;   // FFCLOCK_STATUS_*
  uint8_t counter_id = 0xFF;  // FFCLOCK_COUNTER_*
  uint8_t time_type = 0;      // FFCLOCK_TIME_*
  uint64_t counter_value = 0;
  CounterPeriod period;                    // counter_period_frac_sec, counter_period_shift
  uint64_t period_esterror_rate_frac = 0;  // same unit as period.frac
  uint64_t period_maxerror_rate_frac = 0;
  uint64_t time_sec = 0;
  uint64_t time_frac = 0;  // 2^-64 s
  uint64_t time_esterror_ns = 0;
  uint64_t time_maxerror_ns = 0;
};

// What a usable sample says, in value types.
struct HostReading {
  uint64_t counter = 0;  // the host's anchor
  bool utc = true;       // `time` is UTC (time_type UTC) or TAI
  int128 time = 0;       // 64.64 seconds since 1970 on that timescale
  CounterPeriod period;
  double period_maxerror_rel = 0;  // s per s
  double period_esterror_rel = 0;
  Duration maxerror;
  Duration esterror;
};

// A host that states no bound on its period error is assumed within NTP's frequency
// tolerance (500 ppm): wide, but a bound that does not lie.
inline constexpr double kUnstatedHostRateBound = 500e-6;

// Checks a sample against this machine's counter (FFCLOCK_COUNTER_*) and nominal rate. The
// error is one line for the sources page: why the host's time cannot be used.
[[nodiscard]] Result<HostReading, std::string> read_host_clock(const VmclockSample& s, uint8_t counter_id,
                                                               uint64_t nominal_hz);

}  // namespace ffclock::core::engine
