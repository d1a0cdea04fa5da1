// SPDX-License-Identifier: BSD-2-Clause
#include "platform/timer_fd.hpp"

#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace ffclock::platform {

core::Result<TimerFd, SysError> TimerFd::create() {
  const int fd = ::timerfd_create(CLOCK_MONOTONIC, 0);
  if (fd < 0) return core::Unexpected{SysError{"timerfd_create", errno}};
  return TimerFd(fd);
}

TimerFd::~TimerFd() {
  if (fd_ >= 0) ::close(fd_);
}

core::Result<bool, SysError> TimerFd::arm_at(int64_t deadline_ns) {
  itimerspec its{};
  // A zero it_value would disarm; the earliest representable deadline fires at once.
  const int64_t ns = deadline_ns > 0 ? deadline_ns : 1;
  its.it_value.tv_sec = ns / 1'000'000'000;
  its.it_value.tv_nsec = ns % 1'000'000'000;
  if (::timerfd_settime(fd_, TFD_TIMER_ABSTIME, &its, nullptr) < 0) {
    return core::Unexpected{SysError{"timerfd_settime", errno}};
  }
  return true;
}

core::Result<bool, SysError> TimerFd::disarm() {
  const itimerspec its{};
  if (::timerfd_settime(fd_, 0, &its, nullptr) < 0) {
    return core::Unexpected{SysError{"timerfd_settime", errno}};
  }
  return true;
}

void TimerFd::drain() {
  // Blocking fd, but poll() said readable: the read returns at once. A failed read only
  // means the count was already consumed; the next poll() reports the truth.
  uint64_t expirations = 0;
  [[maybe_unused]] const ssize_t n = ::read(fd_, &expirations, sizeof expirations);
}

}  // namespace ffclock::platform
