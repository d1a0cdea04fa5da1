// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The kernel's wall clock, read only: CLOCK_REALTIME and what adjtimex says about its error.
// The `system` source calibrates the counter against it; ffclockd never sets it.
// FakeKernelClock serves tests.

#include <functional>

#include "ffclock/time.hpp"

namespace ffclock::platform {

struct KernelTimeStatus {
  Duration maxerror;          // adjtimex maxerror (the kernel adds 500 ppm of age to it)
  bool synchronized = false;  // adjtimex did not return TIME_ERROR and STA_UNSYNC is clear
};

class KernelClock {
 public:
  virtual ~KernelClock() = default;
  // clock_gettime(CLOCK_REALTIME).
  [[nodiscard]] virtual UtcTime realtime() = 0;
  // A read-only adjtimex (modes = 0).
  [[nodiscard]] virtual KernelTimeStatus status() = 0;
};

class LinuxKernelClock final : public KernelClock {
 public:
  UtcTime realtime() override;
  KernelTimeStatus status() override;
};

// Returns the times and status the test sets; `on_realtime` runs inside every realtime()
// (a test advances its FakeCounter there to model the read's cost).
class FakeKernelClock final : public KernelClock {
 public:
  UtcTime realtime() override {
    if (on_realtime) on_realtime();
    return now;
  }
  KernelTimeStatus status() override { return kernel_status; }

  UtcTime now;
  KernelTimeStatus kernel_status{Duration::seconds(16), false};
  std::function<void()> on_realtime;
};

}  // namespace ffclock::platform
