// SPDX-License-Identifier: BSD-2-Clause
#include "platform/wake_event.hpp"

#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace ffclock::platform {

core::Result<WakeEvent, SysError> WakeEvent::create() {
  const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0) return core::Unexpected{SysError{"eventfd", errno}};
  return WakeEvent(fd);
}

WakeEvent::~WakeEvent() {
  if (fd_ >= 0) ::close(fd_);
}

void WakeEvent::signal() {
  const uint64_t one = 1;
  // Cannot fail short of a counter overflow, which needs 2^64 - 1 signals.
  (void)!::write(fd_, &one, sizeof one);
}

StopSignalsBlocked::StopSignalsBlocked() {
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGINT);
  ::pthread_sigmask(SIG_BLOCK, &block, &old_);
}

StopSignalsBlocked::~StopSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

}  // namespace ffclock::platform
