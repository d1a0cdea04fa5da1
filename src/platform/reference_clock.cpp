// SPDX-License-Identifier: BSD-2-Clause
#include "platform/reference_clock.hpp"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

namespace ffclock::platform {
namespace {

// The kernel's dynamic POSIX clock id for an open clock device (linux/posix-timers.h).
clockid_t fd_to_clockid(int fd) { return static_cast<clockid_t>((~static_cast<unsigned>(fd) << 3) | 3u); }

}  // namespace

core::Result<PtpReferenceClock, SysError> PtpReferenceClock::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return core::Unexpected{SysError{"open", errno}};
  PtpReferenceClock c(fd);
  if (auto r = c.read_ns(); !r) return core::Unexpected{r.error()};
  return c;
}

PtpReferenceClock::~PtpReferenceClock() {
  if (fd_ >= 0) ::close(fd_);
}

core::Result<int64_t, SysError> PtpReferenceClock::read_ns() {
  timespec ts{};
  if (clock_gettime(fd_to_clockid(fd_), &ts) != 0) return core::Unexpected{SysError{"clock_gettime", errno}};
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace ffclock::platform
