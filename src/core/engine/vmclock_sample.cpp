// SPDX-License-Identifier: BSD-2-Clause
#include "core/engine/vmclock_sample.hpp"

#include <algorithm>
#include <cmath>

#include "core/page/counter_name.hpp"
#include "ffclock/page.h"

namespace ffclock::core::engine {

namespace {

const char* status_text(uint8_t s) {
  switch (s) {
    case FFCLOCK_STATUS_UNKNOWN:
      return "unknown";
    case FFCLOCK_STATUS_INITIALIZING:
      return "initializing";
    case FFCLOCK_STATUS_SYNCHRONIZED:
      return "synchronized";
    case FFCLOCK_STATUS_FREERUNNING:
      return "free-running";
    case FFCLOCK_STATUS_UNRELIABLE:
      return "unreliable";
  }
  return "invalid";
}

// Past this the host's bound says nothing useful, and the arithmetic stays far from overflow.
constexpr uint64_t kMaxHostMaxerrorNs = uint64_t{86400} * 1'000'000'000;
// The page codec's own range for times (|t| < 2^40 s).
constexpr uint64_t kMaxTimeSec = uint64_t{1} << 40;
// A host period further than this from the nominal one is not this counter's.
constexpr long double kMaxPeriodDeviation = 0.01;

double rate_rel(uint64_t rate_frac, CounterPeriod p) {
  return static_cast<double>(static_cast<long double>(rate_frac) / static_cast<long double>(p.frac));
}

}  // namespace

Result<HostReading, std::string> read_host_clock(const VmclockSample& s, uint8_t counter_id,
                                                 uint64_t nominal_hz) {
  using Fail = Unexpected<std::string>;
  if (s.clock_status != FFCLOCK_STATUS_SYNCHRONIZED)
    return Fail{std::string("host clock is ") + status_text(s.clock_status) + ", not synchronized"};
  if (s.counter_id == FFCLOCK_COUNTER_INVALID) return Fail{std::string("host publishes no counter")};
  if (s.counter_id != counter_id)
    return Fail{"host counts " + counter_id_name(s.counter_id) + ", this daemon " +
                counter_id_name(counter_id)};
  if (s.time_type != FFCLOCK_TIME_UTC && s.time_type != FFCLOCK_TIME_TAI) {
    return Fail{s.time_type == FFCLOCK_TIME_MONOTONIC
                    ? std::string("host publishes monotonic time, not UTC or TAI")
                    : "host time type " + std::to_string(s.time_type) + " is not UTC or TAI"};
  }
  if ((s.flags & FFCLOCK_FLAG_TIME_MAXERROR_VALID) == 0 || s.time_maxerror_ns > kMaxHostMaxerrorNs)
    return Fail{std::string("host gives no finite error bound")};
  if (s.time_sec >= kMaxTimeSec) return Fail{std::string("host time out of range")};
  const long double period_s = s.period.to_seconds();
  const long double nominal_s = nominal_hz != 0 ? 1.0L / static_cast<long double>(nominal_hz) : 0;
  if (s.period.frac == 0 || s.period.shift >= 128 || nominal_s == 0 ||
      std::fabs(period_s / nominal_s - 1.0L) > kMaxPeriodDeviation)
    return Fail{std::string("host period is not this counter's")};

  HostReading r;
  r.counter = s.counter_value;
  r.utc = s.time_type == FFCLOCK_TIME_UTC;
  r.time = (static_cast<int128>(s.time_sec) << 64) + static_cast<int128>(s.time_frac);
  r.period = s.period;
  r.period_maxerror_rel = (s.flags & FFCLOCK_FLAG_PERIOD_MAXERROR_VALID) != 0
                              ? rate_rel(s.period_maxerror_rate_frac, s.period)
                              : kUnstatedHostRateBound;
  r.period_esterror_rel = (s.flags & FFCLOCK_FLAG_PERIOD_ESTERROR_VALID) != 0
                              ? rate_rel(s.period_esterror_rate_frac, s.period)
                              : r.period_maxerror_rel;
  r.maxerror = Duration::nanoseconds(static_cast<int64_t>(s.time_maxerror_ns));
  // Without an estimate of its own, the host's bound is the (pessimistic) weight.
  const uint64_t est_ns = (s.flags & FFCLOCK_FLAG_TIME_ESTERROR_VALID) != 0
                              ? std::min(s.time_esterror_ns, s.time_maxerror_ns)
                              : s.time_maxerror_ns;
  r.esterror = Duration::nanoseconds(static_cast<int64_t>(est_ns));
  return r;
}

}  // namespace ffclock::core::engine
