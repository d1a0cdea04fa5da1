// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The NTP server's protocol side (RFC 5905 server and symmetric-passive replies), sans-IO:
// a request's bytes, the client's address and the receive time in; a reply to send (or a
// reason to drop it) out. The transmit timestamp is written by stamp_transmit() right before
// the send, so serving never adds processing time to it. Replies are 48 bytes, never longer
// than the request: no amplification.

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "core/exchange.hpp"
#include "core/ntp/ntp_packet.hpp"
#include "core/server/access_list.hpp"
#include "core/server/rate_limiter.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core::server {

// What the server says about its clock, from the latest publication.
struct ServedClock {
  bool synchronized = false;  // false: LI 3, stratum 16
  LeapIndicator leap = LeapIndicator::None;
  uint8_t stratum = 16;  // the selected source's + 1
  uint32_t refid = 0;
  Duration root_delay;
  Duration root_dispersion;
  UtcTime reference_time;  // when the clock was last updated
  int8_t precision = -20;  // log2 s
};

struct ServerStats {
  uint64_t requests = 0;
  uint64_t replies = 0;
  uint64_t kod_sent = 0;
  uint64_t dropped_malformed = 0;
  uint64_t dropped_rate_limited = 0;
  uint64_t dropped_denied = 0;
  uint64_t dropped_mode = 0;  // modes other than client and symmetric active
};

struct ServerPolicy {
  bool rate_limit = true;
  RateLimit limit;
  AccessList access;
};

class NtpServer {
 public:
  explicit NtpServer(ServerPolicy policy);

  // The reply to `request` from `client` received at `rx` (UTC) and `rx_mono_ns` (for the
  // rate limiter), or nullopt when it is dropped (counted by reason).
  [[nodiscard]] std::optional<std::array<uint8_t, kNtpHeaderSize>> on_request(
      std::span<const uint8_t> request, uint32_t client, UtcTime rx, int64_t rx_mono_ns,
      const ServedClock& clock);
  // Writes the transmit timestamp (read right before the send).
  static void stamp_transmit(std::array<uint8_t, kNtpHeaderSize>& reply, UtcTime tx);

  [[nodiscard]] const ServerStats& stats() const { return stats_; }

 private:
  ServerPolicy policy_;
  RateLimiter limiter_;
  ServerStats stats_;
};

}  // namespace ffclock::core::server
