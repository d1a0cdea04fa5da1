// SPDX-License-Identifier: BSD-2-Clause
// Cost of the reader-side leap views per call: plain UTC across an event and each smear,
// at an instant inside the window (the slow branch) and far outside it.
#include <benchmark/benchmark.h>

#include "ffclock/smear.hpp"

namespace {
using namespace ffclock;

constexpr LeapEvent kEvent{1'483'228'800, +1, 37};

void run(benchmark::State& state, SmearKind kind, int64_t rel_s) {
  TaiTime t = TaiTime::from_unix(kEvent.leap_utc_s + 36 + rel_s);
  const Duration step = Duration::nanoseconds(997);
  for (auto _ : state) {
    benchmark::DoNotOptimize(kind == SmearKind::None ? utc_from_tai(t, kEvent)
                                                     : smeared_utc(t, kEvent, kind));
    t += step;
  }
}

void BM_UtcFromTai(benchmark::State& s) { run(s, SmearKind::None, -10); }
void BM_NoonLinearInside(benchmark::State& s) { run(s, SmearKind::NoonLinear, -10); }
void BM_UtcSlsInside(benchmark::State& s) { run(s, SmearKind::UtcSls, -10); }
void BM_CosineInside(benchmark::State& s) { run(s, SmearKind::Cosine, -10); }
void BM_CosineOutside(benchmark::State& s) { run(s, SmearKind::Cosine, -86'400 * 10); }
}  // namespace

BENCHMARK(BM_UtcFromTai);
BENCHMARK(BM_NoonLinearInside);
BENCHMARK(BM_UtcSlsInside);
BENCHMARK(BM_CosineInside);
BENCHMARK(BM_CosineOutside);
