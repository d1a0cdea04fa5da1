// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// CLOCK_MONOTONIC in nanoseconds: the runtime's timer clock on Linux. It is the clock
// timerfd_create(CLOCK_MONOTONIC) counts in, so deadlines and timerfds agree.

#include <cstdint>

namespace ffclock::platform {

[[nodiscard]] int64_t monotonic_now_ns();

}  // namespace ffclock::platform
