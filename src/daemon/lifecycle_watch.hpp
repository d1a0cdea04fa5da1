// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Watches for what makes the counter stop meaning what it meant, once a second: the host's
// vmclock disruption marker or VM generation changing, a suspend (BOOTTIME − MONOTONIC), a
// counter jump against MONOTONIC. Each is handed to the driver as a disruption, before any
// new exchange, so the page says UNRELIABLE at once.

#include <cstdint>
#include <functional>
#include <optional>

#include "core/engine/disruption_detector.hpp"
#include "platform/boot_clocks.hpp"
#include "platform/counter.hpp"
#include "platform/vmclock/vmclock_device.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/task.hpp"

namespace ffclock::daemon {

class LifecycleWatch {
 public:
  using Disrupt = std::function<void(core::engine::DisruptionReason)>;
  // Seconds per tick and its bound, from the latest publication (nominal before one).
  using Period = std::function<std::pair<long double, double>()>;

  LifecycleWatch(runtime::Scheduler& sched, platform::VmclockDevice* vmclock, Disrupt disrupt, Period period)
      : sched_(sched), vmclock_(vmclock), disrupt_(std::move(disrupt)), period_(std::move(period)) {}

  // One check now (also called on every exchange); true if it reported a disruption.
  bool check();
  [[nodiscard]] runtime::Task<void> run();
  // Called with every snapshot of the host's page this watch reads (the daemon passes the
  // host's DISRUPTION_SOON / _IMMINENT flags on to the clock page).
  void on_snapshot(std::function<void(const platform::VmclockSnapshot&)> listener) {
    on_snapshot_ = std::move(listener);
  }
  // The host marker seen last (for the state file's identity), if there is a device.
  [[nodiscard]] std::optional<uint64_t> host_marker() const { return marker_; }

 private:
  runtime::Scheduler& sched_;
  platform::VmclockDevice* vmclock_;
  Disrupt disrupt_;
  Period period_;
  std::function<void(const platform::VmclockSnapshot&)> on_snapshot_;
  core::engine::DisruptionDetector detector_;
  std::optional<uint64_t> marker_;
  std::optional<uint64_t> generation_;
};

}  // namespace ffclock::daemon
