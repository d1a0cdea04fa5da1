// SPDX-License-Identifier: BSD-2-Clause
// Counter read costs next to clock_gettime, in one run so the ratios are comparable:
// the inline fast and ordered counter reads (the reader's path), the MonotonicRawCounter
// behind the Counter interface, and clock_gettime for REALTIME and MONOTONIC_RAW.
#include <benchmark/benchmark.h>
#include <time.h>

#include "ffclock/counter_read.hpp"
#include "platform/monotonic_raw_counter.hpp"

namespace {

void BM_Rdtsc(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ffclock::read_counter_fast());
}
BENCHMARK(BM_Rdtsc);

void BM_RdtscOrdered(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ffclock::read_counter_ordered());
}
BENCHMARK(BM_RdtscOrdered);

void BM_MonotonicRawCounter(benchmark::State& state) {
  ffclock::platform::MonotonicRawCounter raw;
  // Through the interface, as the daemon holds it.
  ffclock::platform::Counter& counter = raw;
  benchmark::DoNotOptimize(&counter);
  for (auto _ : state) benchmark::DoNotOptimize(counter.read());
}
BENCHMARK(BM_MonotonicRawCounter);

void BM_ClockGettimeRealtime(benchmark::State& state) {
  timespec ts{};
  for (auto _ : state) {
    clock_gettime(CLOCK_REALTIME, &ts);
    benchmark::DoNotOptimize(ts);
  }
}
BENCHMARK(BM_ClockGettimeRealtime);

void BM_ClockGettimeMonotonicRaw(benchmark::State& state) {
  timespec ts{};
  for (auto _ : state) {
    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    benchmark::DoNotOptimize(ts);
  }
}
BENCHMARK(BM_ClockGettimeMonotonicRaw);

}  // namespace
