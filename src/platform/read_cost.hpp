// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The cost of one read of a clock or counter, measured in-process: `ffclock probe` puts each
// counter next to clock_gettime(CLOCK_REALTIME) from the same run, so the ratio is what
// matters, not the absolute figure on a noisy shared machine.
//
// Method: `batches` batches of `reads_per_batch` back-to-back reads, each batch timed with
// CLOCK_MONOTONIC; per-read cost = batch time / reads; the median batch is the figure (robust
// to a preempted batch), min and max show the spread. One untimed batch warms up first.

#include <cstdint>
#include <span>
#include <vector>

namespace ffclock::platform {

struct ReadCostOptions {
  int batches = 21;
  int reads_per_batch = 5000;
};

struct ReadCost {
  double median_ns = 0;
  double min_ns = 0;
  double max_ns = 0;
  int batches = 0;
  int reads_per_batch = 0;
};

// Pure: the summary of per-read costs, one per batch (an empty span gives all zeros).
[[nodiscard]] ReadCost summarize_read_cost(std::span<const double> per_read_ns, int reads_per_batch);

// CLOCK_MONOTONIC in ns, for timing batches.
[[nodiscard]] int64_t read_cost_timer_ns();

namespace detail {
// Keeps the compiler from discarding a read whose value is unused (as benchmark::DoNotOptimize).
template <class T>
inline void keep(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}
}  // namespace detail

// `read` is any callable returning a value; it is inlined here, so a lambda around an inline
// read measures that read and nothing else.
template <class Read>
[[nodiscard]] ReadCost measure_read_cost(Read&& read, const ReadCostOptions& options = {}) {
  const int n = options.reads_per_batch > 0 ? options.reads_per_batch : 1;
  for (int i = 0; i < n; ++i) detail::keep(read());
  std::vector<double> per_read;
  per_read.reserve(static_cast<size_t>(options.batches > 0 ? options.batches : 0));
  for (int b = 0; b < options.batches; ++b) {
    const int64_t t0 = read_cost_timer_ns();
    for (int i = 0; i < n; ++i) detail::keep(read());
    const int64_t t1 = read_cost_timer_ns();
    per_read.push_back(static_cast<double>(t1 - t0) / n);
  }
  return summarize_read_cost(per_read, n);
}

}  // namespace ffclock::platform
