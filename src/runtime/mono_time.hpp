// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The runtime's timer clock: monotonic nanoseconds from the backend (CLOCK_MONOTONIC on
// Linux, virtual time in the simulated backend). It only orders timers; measurements use
// the platform::Counter.

#include <chrono>
#include <cstdint>

namespace ffclock::runtime {

// A clock tag, not a readable clock: "now" comes from the injected Backend.
struct MonoClock {
  using rep = int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<MonoClock>;
  static constexpr bool is_steady = true;
};

using Nanos = std::chrono::nanoseconds;
using MonoTime = MonoClock::time_point;

[[nodiscard]] constexpr MonoTime mono_from_ns(int64_t ns) { return MonoTime{Nanos{ns}}; }
[[nodiscard]] constexpr int64_t mono_to_ns(MonoTime t) { return t.time_since_epoch().count(); }

}  // namespace ffclock::runtime
