// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// One completed NTP exchange as the estimator sees it (RADclock's "stamp").
//
// Ta and Tf are raw counter values taken by this host right before sending the request and
// right after the reply arrived; Tb and Te are the server's receive and transmit times. The
// counter is never steered, so Tf - Ta is the round-trip time in counter ticks.

#include <cstdint>

#include "ffclock/time.hpp"

namespace ffclock::core {

// RFC 5905 leap indicator.
enum class LeapIndicator : uint8_t {
  None = 0,
  InsertSecond = 1,  // last minute of the day has 61 seconds
  DeleteSecond = 2,  // last minute of the day has 59 seconds
  Unsynchronized = 3,
};

// What the server said about itself in the reply; a change of stratum, refid or leap marks
// the exchange as suspect (RADclock's qual_warning).
struct ServerInfo {
  uint8_t stratum = 0;
  LeapIndicator leap = LeapIndicator::None;
  uint32_t refid = 0;
  int8_t poll_log2 = 4;
  Duration root_delay;
  Duration root_dispersion;
  friend bool operator==(const ServerInfo&, const ServerInfo&) = default;
};

struct Exchange {
  uint64_t ta = 0;  // counter at request transmission
  UtcTime tb;       // server receive time
  UtcTime te;       // server transmit time
  uint64_t tf = 0;  // counter at reply reception
  ServerInfo server;
};

}  // namespace ffclock::core
