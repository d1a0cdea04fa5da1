// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A CLOCK_MONOTONIC timerfd armed at absolute deadlines: the poller's timeout with
// nanosecond resolution. Created as clknetsim expects: timerfd_create(CLOCK_MONOTONIC, 0),
// armed with TFD_TIMER_ABSTIME and a NULL old_value.

#include <cstdint>

#include "core/result.hpp"
#include "platform/sys_error.hpp"

namespace ffclock::platform {

class TimerFd {
 public:
  [[nodiscard]] static core::Result<TimerFd, SysError> create();

  TimerFd(TimerFd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  TimerFd& operator=(TimerFd&&) = delete;
  TimerFd(const TimerFd&) = delete;
  TimerFd& operator=(const TimerFd&) = delete;
  ~TimerFd();

  [[nodiscard]] int fd() const { return fd_; }
  // Expires once at `deadline_ns` on CLOCK_MONOTONIC (> 0). Re-arming replaces the deadline.
  [[nodiscard]] core::Result<bool, SysError> arm_at(int64_t deadline_ns);
  [[nodiscard]] core::Result<bool, SysError> disarm();
  // Consumes the expiration count after poll() reported the fd readable.
  void drain();

 private:
  explicit TimerFd(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace ffclock::platform
