// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// CLOCK_MONOTONIC_RAW in nanoseconds as a counter: portable, never stepped or slewed, and the
// simulated oscillator under clknetsim. It must go through libc's clock_gettime (never a raw
// syscall or vDSO pointer) so that the simulator can intercept it (docs/simulation.md §4).

#include "platform/counter.hpp"
#include "platform/counter_facts.hpp"

namespace ffclock::platform {

class MonotonicRawCounter final : public Counter {
 public:
  uint64_t read() override;
  CounterInfo info() const override;
  [[nodiscard]] CounterFacts facts() const;
};

}  // namespace ffclock::platform
