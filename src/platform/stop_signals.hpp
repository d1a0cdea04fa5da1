// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// SIGTERM/SIGINT handling the clknetsim way: a sigaction handler that only sets a flag and
// interrupts poll() with EINTR (no SA_RESTART). No signalfd, no self-pipe: the simulator
// treats those as always readable. Installing is process-wide; the destructor restores the
// previous handlers.

#include <csignal>

#include "core/result.hpp"
#include "platform/sys_error.hpp"

namespace ffclock::platform {

class StopSignals {
 public:
  [[nodiscard]] static core::Result<StopSignals, SysError> install();

  StopSignals(StopSignals&& other) noexcept;
  StopSignals& operator=(StopSignals&&) = delete;
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  ~StopSignals();

  // True once SIGTERM or SIGINT arrived since install() or the last clear().
  [[nodiscard]] static bool pending();
  // The signal number that arrived last (0 if none).
  [[nodiscard]] static int last_signal();
  static void clear();

 private:
  StopSignals() = default;
  bool active_ = false;
  struct sigaction old_term_ {};
  struct sigaction old_int_ {};
};

}  // namespace ffclock::platform
