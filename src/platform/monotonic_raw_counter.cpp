// SPDX-License-Identifier: BSD-2-Clause
// CLOCK_MONOTONIC_RAW counter (see monotonic_raw_counter.hpp).
#include "platform/monotonic_raw_counter.hpp"

#include <time.h>

namespace ffclock::platform {

uint64_t MonotonicRawCounter::read() {
  timespec ts{};
  // Through libc on purpose: clknetsim interposes this symbol.
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

CounterInfo MonotonicRawCounter::info() const {
  return {"monotonic_raw", CounterKind::MonotonicRaw, 1'000'000'000, true,
          "CLOCK_MONOTONIC_RAW via libc: nanoseconds, never stepped or slewed"};
}

CounterFacts MonotonicRawCounter::facts() const {
  return {info(), "nanoseconds", std::nullopt, std::nullopt};
}

}  // namespace ffclock::platform
