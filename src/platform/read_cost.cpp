// SPDX-License-Identifier: BSD-2-Clause
// Read-cost summary and batch timer (see read_cost.hpp).
#include "platform/read_cost.hpp"

#include <time.h>

#include <algorithm>

namespace ffclock::platform {

ReadCost summarize_read_cost(std::span<const double> per_read_ns, int reads_per_batch) {
  if (per_read_ns.empty()) return {};
  std::vector<double> sorted(per_read_ns.begin(), per_read_ns.end());
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  const double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  return {median, sorted.front(), sorted.back(), static_cast<int>(n), reads_per_batch};
}

int64_t read_cost_timer_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace ffclock::platform
