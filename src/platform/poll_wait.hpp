// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The one blocking call of the Linux runtime: poll() on sockets and a timerfd for POLLIN.
// poll (not epoll/ppoll) is what the clknetsim simulator interposes.

#include <bitset>
#include <cstdint>
#include <span>

#include "core/result.hpp"
#include "platform/sys_error.hpp"

namespace ffclock::platform {

inline constexpr std::size_t kMaxPollFds = 128;

enum class PollStatus : uint8_t { Ready, TimedOut, Interrupted };

struct PollOutcome {
  PollStatus status = PollStatus::TimedOut;
  // Bit i: fds[i] is readable (or has an error or hangup that a read will report).
  std::bitset<kMaxPollFds> readable;
};

// Waits for readability of any fd; timeout_ms < 0 waits forever, 0 does not wait.
// EINTR is reported as Interrupted (a stop signal may have arrived).
[[nodiscard]] core::Result<PollOutcome, SysError> poll_readable(std::span<const int> fds, int timeout_ms);

}  // namespace ffclock::platform
