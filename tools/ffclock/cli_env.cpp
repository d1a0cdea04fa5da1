// SPDX-License-Identifier: BSD-2-Clause
// The production CliEnv (see cli_env.hpp).
#include "cli_env.hpp"

#include <time.h>
#include <unistd.h>

#include <iostream>
#include <thread>

#include "platform/stop_signals.hpp"
#include "platform/tsc_counter.hpp"
#include "platform/tsc_cpuid.hpp"

namespace ffclock::tool {
namespace {

std::optional<uint64_t> machine_nominal_hz(uint8_t counter_id) {
  if (counter_id == FFCLOCK_COUNTER_MONOTONIC_RAW) return 1'000'000'000;  // nanoseconds by definition
#if defined(__x86_64__) || defined(__i386__)
  if (counter_id == FFCLOCK_COUNTER_X86_TSC) {
    if (const auto f = platform::tsc_nominal_frequency(platform::read_tsc_cpuid())) return f->hz;
  }
#elif defined(__aarch64__)
  if (counter_id == FFCLOCK_COUNTER_ARM_VCNT) {
    uint64_t hz = 0;
    asm volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    if (hz != 0) return hz;
  }
#endif
  return std::nullopt;
}

Duration monotonic_now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return Duration::seconds(ts.tv_sec) + Duration::nanoseconds(ts.tv_nsec);
}

}  // namespace

CliEnv production_env() {
  CliEnv env;
  env.out = &std::cout;
  env.err = &std::cerr;
  env.out_is_terminal = isatty(STDOUT_FILENO) == 1;
  env.nominal_hz = machine_nominal_hz;
  env.monotonic_now = monotonic_now;
  env.wait_for_update = [](const Clock& clock, Duration timeout) { (void)clock.wait_for_update(timeout); };
  env.sleep = [](Duration d) { std::this_thread::sleep_for(std::chrono::nanoseconds(d.to_nanoseconds())); };
  env.stop_requested = [] { return platform::StopSignals::pending(); };
  return env;
}

}  // namespace ffclock::tool
