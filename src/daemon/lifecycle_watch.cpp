// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/lifecycle_watch.hpp"

namespace ffclock::daemon {

bool LifecycleWatch::check() {
  if (vmclock_ != nullptr) {
    if (auto s = vmclock_->read()) {
      const bool marker_changed = marker_ && *marker_ != s->disruption_marker;
      const bool generation_changed =
          s->vm_generation_present && generation_ && *generation_ != s->vm_generation;
      marker_ = s->disruption_marker;
      if (s->vm_generation_present) generation_ = s->vm_generation;
      if (marker_changed || generation_changed) {
        detector_.restart();
        disrupt_(core::engine::DisruptionReason::HostMarker);
        if (on_snapshot_) on_snapshot_(*s);
        return true;
      }
      if (on_snapshot_) on_snapshot_(*s);
    }
  }
  const auto clocks = platform::read_boot_clocks();
  if (!clocks) return false;
  const auto [period, bound] = period_();
  const core::engine::WakeReading r{sched_.counter().read(), clocks->monotonic_ns, clocks->boottime_ns};
  if (auto why = detector_.check(r, period, bound)) {
    detector_.restart();
    (void)detector_.check(r, period, bound);  // the reading after the disruption is the new base
    disrupt_(*why);
    return true;
  }
  return false;
}

runtime::Task<void> LifecycleWatch::run() {
  for (;;) {
    check();
    co_await sched_.sleep_for(std::chrono::seconds(1));
  }
}

}  // namespace ffclock::daemon
