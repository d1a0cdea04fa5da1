// SPDX-License-Identifier: BSD-2-Clause
//
// The header-only C++ reader in one program: the time now with its bounds, an interval
// measured with the difference clock, and waiting for the clock to be stepped.
//
//   ffclock-example-cpp [PAGE] [WAIT_SECONDS]
//
// PAGE defaults to /run/ffclock/page (what ffclockd publishes). With WAIT_SECONDS > 0 it then
// waits up to that long for a step (the page's step generation changing).
// Exit: 0 ok, 1 the clock is not usable (or no step came), 2 the page cannot be opened.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <ffclock/clock.hpp>
#include <string>
#include <thread>

namespace {

template <ffclock::Timescale S>
void print_time(const char* label, ffclock::Time<S> t) {
  const auto split = t.split_nanos();
  const std::time_t sec = static_cast<std::time_t>(split.sec);
  std::tm tm{};
  char buf[32];
  gmtime_r(&sec, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::printf("%-9s %s.%09uZ\n", label, buf, static_cast<unsigned>(split.nsec));
}

bool usable(ffclock::ClockStatus s) {
  return s == ffclock::ClockStatus::Synchronized || s == ffclock::ClockStatus::FreeRunning;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : ffclock::kDefaultPagePath;
  const double wait_s = argc > 2 ? std::atof(argv[2]) : 0.0;
  auto clock = ffclock::Clock::open(path);
  if (!clock) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), ffclock::to_string(clock.error()));
    return 2;
  }

  // Now: UTC and the interval that certainly contains true time (as cheap as clock_gettime).
  const auto now = clock->now();
  if (!now) {
    std::fprintf(stderr, "cannot read the clock: %s\n", ffclock::to_string(now.error()));
    return 1;
  }
  print_time("utc", now->utc);
  print_time("earliest", now->earliest());
  print_time("latest", now->latest());
  std::printf("maxerror  %lld ns\n", static_cast<long long>(now->maxerror.to_nanoseconds()));
  // The full reading: TAI, leap state, the step generation and more.
  const auto full = clock->read();
  if (!full) return 1;
  print_time("tai", full->tai);

  // Elapsed: two counter reads around some work, converted with the difference clock.
  const auto c0 = clock->read_counter();
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto c1 = clock->read_counter();
  if (c0 && c1) {
    if (const auto d = clock->elapsed(*c0, *c1))
      std::printf("elapsed   %lld ns (a 10 ms sleep)\n", static_cast<long long>(d->to_nanoseconds()));
  }

  // Wait for a step: block on page updates until the step generation moves.
  int rc = usable(now->status) ? 0 : 1;
  if (wait_s > 0) {
    const uint64_t generation = full->step_generation;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_s);
    rc = 1;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto left =
          std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - std::chrono::steady_clock::now());
      if (!clock->wait_for_update(ffclock::Duration::nanoseconds(left.count()))) continue;
      const auto later = clock->read();
      if (later && later->step_generation != generation) {
        std::printf("step      generation %llu -> %llu\n", static_cast<unsigned long long>(generation),
                    static_cast<unsigned long long>(later->step_generation));
        rc = 0;
        break;
      }
    }
    if (rc != 0) std::printf("no step in %.0f s\n", wait_s);
  }
  return rc;
}
