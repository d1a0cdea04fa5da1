// SPDX-License-Identifier: BSD-2-Clause
// Reader fast-path costs: now() (UTC, bound and status; ordered counter read), now_fast()
// (UTC and status; unordered), read() (the full reading), monotonic() and elapsed(), over a
// page published by the real writer in memory with this machine's native counter. Compare
// with BM_ClockGettimeRealtime and BM_Rdtsc (bench/counter_bench.cpp) in the same run:
// targets now() <= 1.05x and now_fast() <= 0.5x clock_gettime(REALTIME).
#include <benchmark/benchmark.h>
#include <time.h>

#include <memory>

#include "ffclock/clock.hpp"
#include "ffclock/counter_read.hpp"
#include "platform/counter.hpp"
#include "platform/page_writer.hpp"

namespace {

class NativeCounter final : public ffclock::platform::Counter {
 public:
  uint64_t read() override { return ffclock::read_counter_ordered(); }
  ffclock::platform::CounterInfo info() const override {
    return {"native", ffclock::platform::CounterKind::X86Tsc, 0, true, "bench"};
  }
};

ffclock::UtcTime realtime_now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return ffclock::UtcTime::from_unix(ts.tv_sec) + ffclock::Duration::nanoseconds(ts.tv_nsec);
}

// One page for every benchmark: native counter, period measured over 20 ms.
struct BenchPage {
  struct alignas(64) Buf {
    unsigned char bytes[FFCLOCK_PAGE_SIZE];
  };
  std::unique_ptr<Buf> buf = std::make_unique<Buf>();
  NativeCounter counter;
  ffclock::platform::PageWriter writer =
      ffclock::platform::PageWriter::over_memory(buf->bytes, sizeof buf->bytes, counter);
  std::unique_ptr<ffclock::Clock> clock;

  BenchPage() {
    const uint64_t c0 = counter.read();
    const ffclock::UtcTime t0 = realtime_now();
    timespec pause{0, 20'000'000};
    nanosleep(&pause, nullptr);
    const uint64_t c1 = counter.read();
    const ffclock::UtcTime t1 = realtime_now();
    ffclock::core::PageInput in;
    in.params.anchor_counter = c1;
    in.params.anchor_time = t1;
    in.params.period =
        ffclock::CounterPeriod::from_seconds((t1 - t0).to_seconds_ld() / static_cast<long double>(c1 - c0));
    in.params.local_period = in.params.period;
    in.params.time_maxerror = ffclock::Duration::milliseconds(1);
    in.params.period_maxerror_rel = 1e-5;
    in.params.status = ffclock::core::SyncStatus::Synchronized;
#if defined(__x86_64__) || defined(__i386__)
    in.counter_id = FFCLOCK_COUNTER_X86_TSC;
#elif defined(__aarch64__)
    in.counter_id = FFCLOCK_COUNTER_ARM_VCNT;
#else
    in.counter_id = FFCLOCK_COUNTER_MONOTONIC_RAW;
#endif
    in.tai_offset_known = true;
    in.tai_minus_utc = 37;
    in.stale_after = in.void_after = ffclock::Duration::seconds(1'000'000);
    writer.publish(in);
    ffclock::ClockOptions o;
    o.host_vmclock_path.clear();
    auto c = ffclock::Clock::over_memory(buf->bytes, sizeof buf->bytes, o);
    if (c) clock = std::make_unique<ffclock::Clock>(std::move(c).value());
  }
};

BenchPage& page() {
  static BenchPage p;
  return p;
}

void BM_ReaderNow(benchmark::State& state) {
  const ffclock::Clock& clock = *page().clock;
  for (auto _ : state) {
    auto r = clock.now();
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ReaderNow);

// now() with a counter that costs nothing (through the out-of-line counter function): the
// reader's own work, without the counter read.
uint64_t fixed_counter(void* ctx) { return *static_cast<const uint64_t*>(ctx); }
void BM_ReaderNowComputeOnly(benchmark::State& state) {
  BenchPage& p = page();
  uint64_t c = p.counter.read();
  ffclock::ClockOptions o;
  o.host_vmclock_path.clear();
  o.counter = &fixed_counter;
  o.counter_ctx = &c;
  auto clock = ffclock::Clock::over_memory(p.buf->bytes, sizeof p.buf->bytes, o);
  for (auto _ : state) {
    auto r = clock->now();
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ReaderNowComputeOnly);

void BM_ReaderNowFast(benchmark::State& state) {
  const ffclock::Clock& clock = *page().clock;
  for (auto _ : state) {
    auto r = clock.now_fast();
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ReaderNowFast);

void BM_ReaderRead(benchmark::State& state) {
  const ffclock::Clock& clock = *page().clock;
  for (auto _ : state) {
    auto r = clock.read();
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ReaderRead);

void BM_ReaderMonotonic(benchmark::State& state) {
  const ffclock::Clock& clock = *page().clock;
  for (auto _ : state) {
    auto r = clock.monotonic();
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ReaderMonotonic);

void BM_ReaderElapsed(benchmark::State& state) {
  const ffclock::Clock& clock = *page().clock;
  uint64_t c0 = 1'000'000, c1 = 2'000'000'000;
  for (auto _ : state) {
    benchmark::DoNotOptimize(c0);
    benchmark::DoNotOptimize(c1);
    auto r = clock.elapsed(c0, c1);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ReaderElapsed);

}  // namespace
