// SPDX-License-Identifier: BSD-2-Clause
// Scheduler costs: a task switch (spawn a child, await it, resume the parent) and the
// timer heap (push and pop), on the simulated backend so no system call is measured.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "platform/counter.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/sim/sim_backend.hpp"
#include "runtime/timer_heap.hpp"

namespace ffclock::runtime {
namespace {

Task<int> leaf(int x) { co_return x + 1; }

Task<void> spawn_join_loop(Scheduler& s, benchmark::State& state) {
  int sum = 0;
  for (auto _ : state) {
    auto h = s.spawn(leaf(sum));
    auto r = co_await h.join();
    sum = *r;
  }
  benchmark::DoNotOptimize(sum);
}

// One iteration: spawn a child, park on join, run the child to completion, resume the parent.
void BM_TaskSwitch(benchmark::State& state) {
  sim::SimBackend backend;
  platform::FakeCounter counter;
  Scheduler sched(backend, counter);
  auto r = sched.run(spawn_join_loop(sched, state));
  if (!r) state.SkipWithError("run failed");
}
BENCHMARK(BM_TaskSwitch);

Task<void> yield_loop(Scheduler& s, benchmark::State& state) {
  for (auto _ : state) co_await s.yield();
}

Task<void> yield_pair(Scheduler& s, benchmark::State& state) {
  auto other = s.spawn(yield_loop(s, state));
  (void)co_await other.join();
}

// One iteration: a task yields and the scheduler resumes it from the ready queue.
void BM_Yield(benchmark::State& state) {
  sim::SimBackend backend;
  platform::FakeCounter counter;
  Scheduler sched(backend, counter);
  auto r = sched.run(yield_pair(sched, state));
  if (!r) state.SkipWithError("run failed");
}
BENCHMARK(BM_Yield);

// One iteration: push one timer into a heap of N and pop the earliest.
void BM_TimerHeap(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<TimerEntry> entries(n + 1);
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> dist(0, 1'000'000'000);
  TimerHeap heap;
  heap.reserve(n + 1);
  for (std::size_t i = 0; i < n; ++i) {
    entries[i].deadline = mono_from_ns(dist(rng));
    heap.push(&entries[i]);
  }
  std::vector<int64_t> jitter(4096);
  for (int64_t& j : jitter) j = dist(rng);
  TimerEntry* spare = &entries[n];
  int64_t t = 0;
  std::size_t k = 0;
  for (auto _ : state) {
    t += 1000;  // deadlines move forward, as timers do
    spare->deadline = mono_from_ns(t + jitter[k++ & 4095]);
    heap.push(spare);
    spare = heap.pop();
    benchmark::DoNotOptimize(spare);
  }
}
BENCHMARK(BM_TimerHeap)->Arg(16)->Arg(1024);

}  // namespace
}  // namespace ffclock::runtime
