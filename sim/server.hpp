// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The NTP server: perfect true UTC by default, with the scenario's faults applied (clock
// steps and falsetickers, outages, kiss-o'-death, stratum/refid changes, leap seconds).
// Also the definition of true UTC, which leap seconds make discontinuous.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/exchange.hpp"
#include "ffclock/time.hpp"
#include "sim/scenario.hpp"

namespace ffclock::sim {

// True UTC at simulation time t: start + t, minus the leap seconds inserted so far (plus the
// deleted ones).
class TrueTime {
 public:
  TrueTime(UtcTime start, const std::vector<Event>& events);
  UtcTime utc(SimTime t) const;
  // The same at a whole second (no floating point: the per-second samples' fast path).
  UtcTime utc_at_second(int64_t s) const;

 private:
  UtcTime start_;
  struct Leap {
    SimTime at;
    int sign;
  };
  std::vector<Leap> leaps_;
};

struct ServerReply {
  UtcTime tb;
  UtcTime te;
  core::ServerInfo info;
  int8_t precision = -25;  // log2 s, as the packet states it
};

class Server {
 public:
  // Server `index` of the scenario (0: [server], 1..: [[servers]]), with the events that
  // name it (and the leap seconds, which every server announces).
  Server(const Scenario& s, std::size_t index, const TrueTime& truth);
  // The reply to a request arriving at true time t (it leaves at t + processing()), or
  // nullopt during an outage.
  std::optional<ServerReply> answer(SimTime t) const;
  double processing() const { return model_.processing_s; }
  // The same reply as an NTP packet on the wire, answering the request with nonce `origin`.
  static std::array<uint8_t, 48> encode(const ServerReply& r, uint64_t origin);

 private:
  ServerModel model_;
  std::vector<Event> events_;
  const TrueTime& truth_;
};

}  // namespace ffclock::sim
