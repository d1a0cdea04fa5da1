// SPDX-License-Identifier: BSD-2-Clause
// For the chronyd integration test: reads the clock page in-process with the header-only
// reader, bracketed by two CLOCK_REALTIME reads (chronyd serves REALTIME, so it is the truth
// here), and checks the published UTC lies within its own bound of it.
// Usage: page_vs_realtime PAGE. Prints "synchronized|<status> maxerror_ns lo_ns hi_ns" where
// [lo, hi] brackets published - realtime; exit 0 when synchronized and within the bound,
// 1 when not, 2 when the page cannot be read.
#include <time.h>

#include <cstdio>

#include "ffclock/clock.hpp"

namespace {

int64_t realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: page_vs_realtime PAGE\n");
    return 2;
  }
  auto clock = ffclock::Clock::open(argv[1]);
  if (!clock) {
    std::printf("unreadable 0 0 0\n");
    return 2;
  }
  const int64_t before = realtime_ns();
  const auto r = clock->now();
  const int64_t after = realtime_ns();
  if (!r) {
    std::printf("unreadable 0 0 0\n");
    return 2;
  }
  const int64_t utc = r->utc.unix_nanos();
  const int64_t m = r->maxerror.to_nanoseconds();
  const bool synced = r->status == ffclock::ClockStatus::Synchronized;
  std::printf("%s %lld %lld %lld\n", synced ? "synchronized" : "other", static_cast<long long>(m),
              static_cast<long long>(utc - after), static_cast<long long>(utc - before));
  return synced && before - m <= utc && utc <= after + m ? 0 : 1;
}
