// SPDX-License-Identifier: BSD-2-Clause
#include "platform/system_clock_sampler.hpp"

namespace ffclock::platform {

core::engine::SystemSample SystemClockSampler::sample() {
  core::engine::SystemSample best;
  bool have = false;
  for (int i = 0; i < kSystemSampleTries; ++i) {
    core::engine::SystemSample s;
    s.counter_before = counter_.read();
    s.realtime = kernel_.realtime();
    s.counter_after = counter_.read();
    if (!have || s.counter_after - s.counter_before < best.counter_after - best.counter_before) {
      best = s;
      have = true;
    }
  }
  const KernelTimeStatus st = kernel_.status();
  best.kernel_maxerror = st.maxerror;
  best.kernel_synchronized = st.synchronized;
  return best;
}

}  // namespace ffclock::platform
