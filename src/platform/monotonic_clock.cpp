// SPDX-License-Identifier: BSD-2-Clause
#include "platform/monotonic_clock.hpp"

#include <ctime>

namespace ffclock::platform {

int64_t monotonic_now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);  // through libc, so clknetsim can interpose it
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace ffclock::platform
