// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// An eventfd one thread signals to wake another blocked in poll_readable() on it: how the
// daemon stops its serving threads without their waits ever timing out (no idle wakeups).
// Not for the daemon thread's own loop (clknetsim treats eventfds as always readable).

#include <csignal>

#include "core/result.hpp"
#include "platform/sys_error.hpp"

namespace ffclock::platform {

class WakeEvent {
 public:
  [[nodiscard]] static core::Result<WakeEvent, SysError> create();

  WakeEvent(WakeEvent&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  WakeEvent& operator=(WakeEvent&&) = delete;
  WakeEvent(const WakeEvent&) = delete;
  WakeEvent& operator=(const WakeEvent&) = delete;
  ~WakeEvent();

  [[nodiscard]] int fd() const { return fd_; }
  // Makes fd() readable until drained; any thread.
  void signal();

 private:
  explicit WakeEvent(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// While one exists, SIGTERM and SIGINT are blocked in the calling thread, so threads started
// meanwhile inherit the block and the stop signals interrupt the daemon thread's wait, not
// theirs. The destructor restores the caller's mask.
class StopSignalsBlocked {
 public:
  StopSignalsBlocked();
  ~StopSignalsBlocked();
  StopSignalsBlocked(const StopSignalsBlocked&) = delete;
  StopSignalsBlocked& operator=(const StopSignalsBlocked&) = delete;

 private:
  sigset_t old_{};
};

}  // namespace ffclock::platform
