// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Everything an ffclock subcommand takes from the outside world, in one place, so that tests
// run the whole tool in-process: where output goes, how the clock page's counter is read, how
// time passes while waiting, and when to stop. production_env() wires the real ones.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>

#include "ffclock/clock.hpp"
#include "ffclock/time.hpp"

namespace ffclock::tool {

struct CliEnv {
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  bool out_is_terminal = false;  // `watch` redraws in place on a terminal
  // How pages are read (tests: a fake counter, no host vmclock).
  ClockOptions clock_options;
  // The nominal frequency of a page's counter (FFCLOCK_COUNTER_*), when this machine says.
  std::function<std::optional<uint64_t>(uint8_t counter_id)> nominal_hz;
  // A monotonic time for timeouts.
  std::function<Duration()> monotonic_now;
  // Waits up to `timeout` for the page to be republished (the futex wait in production).
  std::function<void(const Clock&, Duration)> wait_for_update;
  // Waits `d` (no page to wait on yet).
  std::function<void(Duration)> sleep;
  // True once the user asked to stop (SIGINT, SIGTERM).
  std::function<bool()> stop_requested;
  // Called once `metrics --listen` is accepting connections, with the bound port.
  std::function<void(int port)> on_listening;
};

// Real output streams, real counters and CPUID, CLOCK_MONOTONIC, futex waits, StopSignals.
[[nodiscard]] CliEnv production_env();

}  // namespace ffclock::tool
