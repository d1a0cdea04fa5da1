// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The `system` source's hands: one SystemSample, CLOCK_REALTIME read between two counter
// reads plus the kernel's error view. Of three tries the one with the smallest counter gap
// is kept: a preemption or a slow read widens the gap, and the narrowest pair brackets the
// REALTIME read most tightly.

#include <cstdint>

#include "core/engine/sync_engine.hpp"
#include "platform/counter.hpp"
#include "platform/kernel_clock.hpp"

namespace ffclock::platform {

inline constexpr int kSystemSampleTries = 3;

class SystemClockSampler {
 public:
  SystemClockSampler(Counter& counter, KernelClock& kernel) : counter_(counter), kernel_(kernel) {}
  [[nodiscard]] core::engine::SystemSample sample();

 private:
  Counter& counter_;
  KernelClock& kernel_;
};

}  // namespace ffclock::platform
