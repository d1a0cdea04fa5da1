// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The kernel clock's setters, for `[kernel] discipline = true` only: CLOCK_REALTIME's
// frequency, a step, its error fields, STA_UNSYNC and the leap flags, through adjtimex.
// What to set is decided by core/discipline/KernelDisciplinePlanner; this layer only makes
// the calls. FakeKernelClockDiscipline records them: tests never touch the host's clock.

#include <optional>
#include <vector>

#include "core/discipline/kernel_discipline_planner.hpp"
#include "core/result.hpp"
#include "ffclock/time.hpp"
#include "platform/sys_error.hpp"

namespace ffclock::platform {

// What one adjustment sets besides a step (see KernelAdjustment).
struct KernelSettings {
  double frequency_ppm = 0;
  bool set_frequency = false;  // false: the kernel keeps its frequency
  Duration maxerror;
  Duration esterror;
  bool synchronized = false;
  core::discipline::KernelLeap leap = core::discipline::KernelLeap::None;
};

class KernelClockDiscipline {
 public:
  virtual ~KernelClockDiscipline() = default;
  // The kernel's frequency setting in ppm (a read-only adjtimex).
  [[nodiscard]] virtual core::Result<double, SysError> frequency_ppm() = 0;
  // Adds `by` to CLOCK_REALTIME (ADJ_SETOFFSET: relative, so the call's latency adds no error).
  [[nodiscard]] virtual std::optional<SysError> step(Duration by) = 0;
  // Frequency, maxerror, esterror and status, with the kernel's PLL and FLL off.
  [[nodiscard]] virtual std::optional<SysError> set(const KernelSettings& s) = 0;
};

// adjtimex(2). Needs CAP_SYS_TIME for the setters.
class LinuxKernelClockDiscipline final : public KernelClockDiscipline {
 public:
  core::Result<double, SysError> frequency_ppm() override;
  std::optional<SysError> step(Duration by) override;
  std::optional<SysError> set(const KernelSettings& s) override;
};

// Records every call and keeps the frequency it was given, as the kernel would.
class FakeKernelClockDiscipline final : public KernelClockDiscipline {
 public:
  core::Result<double, SysError> frequency_ppm() override {
    if (fail) return core::Unexpected{SysError{"adjtimex", 1}};
    return frequency;
  }
  std::optional<SysError> step(Duration by) override {
    if (fail) return SysError{"adjtimex(ADJ_SETOFFSET)", 1};
    steps.push_back(by);
    return std::nullopt;
  }
  std::optional<SysError> set(const KernelSettings& s) override {
    if (fail) return SysError{"adjtimex", 1};
    settings.push_back(s);
    if (s.set_frequency) frequency = s.frequency_ppm;
    return std::nullopt;
  }

  double frequency = 0;
  bool fail = false;  // every call fails with EPERM
  std::vector<Duration> steps;
  std::vector<KernelSettings> settings;
};

}  // namespace ffclock::platform
