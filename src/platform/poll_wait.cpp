// SPDX-License-Identifier: BSD-2-Clause
#include "platform/poll_wait.hpp"

#include <poll.h>

#include <array>
#include <cerrno>

namespace ffclock::platform {

core::Result<PollOutcome, SysError> poll_readable(std::span<const int> fds, int timeout_ms) {
  if (fds.size() > kMaxPollFds) return core::Unexpected{SysError{"poll: more than 128 fds", 0}};
  std::array<pollfd, kMaxPollFds> set{};
  for (std::size_t i = 0; i < fds.size(); ++i) {
    set[i].fd = fds[i];
    set[i].events = POLLIN;  // never POLLOUT: UDP sends do not wait
  }
  PollOutcome out;
  const int n = ::poll(set.data(), static_cast<nfds_t>(fds.size()), timeout_ms);
  if (n < 0) {
    if (errno == EINTR) {
      out.status = PollStatus::Interrupted;
      return out;
    }
    return core::Unexpected{SysError{"poll", errno}};
  }
  for (std::size_t i = 0; i < fds.size(); ++i) {
    out.readable[i] = (set[i].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
  }
  out.status = n == 0 ? PollStatus::TimedOut : PollStatus::Ready;
  return out;
}

}  // namespace ffclock::platform
