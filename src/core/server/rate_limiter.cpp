// SPDX-License-Identifier: BSD-2-Clause
#include "core/server/rate_limiter.hpp"

#include <algorithm>

namespace ffclock::core::server {

namespace {
// Slots probed for an address: its own hash slot and the next few.
constexpr std::size_t kProbe = 4;

std::size_t hash(uint32_t a) { return static_cast<std::size_t>((a * 2654435761u) >> 7); }
}  // namespace

RateLimiter::RateLimiter(RateLimit limit, std::size_t slots)
    : limit_(limit), slots_(std::max<std::size_t>(slots, kProbe)) {}

RateLimiter::Verdict RateLimiter::check(uint32_t address, int64_t now_ns) {
  const std::size_t base = hash(address) % slots_.size();
  Slot* slot = nullptr;
  Slot* oldest = nullptr;
  for (std::size_t i = 0; i < kProbe; ++i) {
    Slot& s = slots_[(base + i) % slots_.size()];
    if (s.used && s.address == address) {
      slot = &s;
      break;
    }
    if (!oldest || !s.used || (oldest->used && s.last_ns < oldest->last_ns)) oldest = &s;
  }
  if (!slot) {
    slot = oldest;
    *slot = Slot{address, true, limit_.burst, now_ns, 0};
  }
  const double elapsed = static_cast<double>(std::max<int64_t>(0, now_ns - slot->last_ns)) * 1e-9;
  slot->tokens = std::min(limit_.burst, slot->tokens + elapsed * limit_.tokens_per_s);
  slot->last_ns = std::max(slot->last_ns, now_ns);
  if (slot->tokens >= 1.0) {
    slot->tokens -= 1.0;
    return Verdict::Allow;
  }
  if (++slot->over >= std::max<uint32_t>(1, limit_.kiss_one_in)) {
    slot->over = 0;
    return Verdict::Kiss;
  }
  return Verdict::Drop;
}

}  // namespace ffclock::core::server
