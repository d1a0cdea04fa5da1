// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Per-client request rate limiting for the NTP server: a token bucket per IPv4 address in a
// fixed-size table (memory does not grow with the number of clients; a new client takes the
// slot of the one seen least recently among a few candidates). Times are the caller's
// monotonic nanoseconds.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ffclock::core::server {

struct RateLimit {
  double tokens_per_s = 1.0;  // sustained rate per client
  double burst = 16;          // bucket size: a client may send this many back to back
  // Of the requests over the limit, one in this many is answered with a RATE kiss (the
  // others are dropped), so a flood cannot make the server send as much as it receives.
  uint32_t kiss_one_in = 4;
};

class RateLimiter {
 public:
  enum class Verdict : uint8_t { Allow, Kiss, Drop };

  explicit RateLimiter(RateLimit limit = {}, std::size_t slots = 4096);
  [[nodiscard]] Verdict check(uint32_t address, int64_t now_ns);

 private:
  struct Slot {
    uint32_t address = 0;
    bool used = false;
    double tokens = 0;
    int64_t last_ns = 0;
    uint32_t over = 0;  // requests over the limit since the last kiss
  };
  RateLimit limit_;
  std::vector<Slot> slots_;
};

}  // namespace ffclock::core::server
