// SPDX-License-Identifier: BSD-2-Clause
#include "platform/random_seed.hpp"

#include <sys/random.h>
#include <time.h>

namespace ffclock::platform {

uint64_t random_seed() {
  uint64_t v = 0;
  if (getrandom(&v, sizeof v, 0) == static_cast<ssize_t>(sizeof v) && v != 0) return v;
  // No entropy source: a seed that still differs per start (nonces need only be unguessable
  // enough to reject stray replies; the origin check does not rely on secrecy alone).
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return (static_cast<uint64_t>(ts.tv_sec) << 30) ^ static_cast<uint64_t>(ts.tv_nsec) ^ 0x9E3779B97F4A7C15ull;
}

}  // namespace ffclock::platform
