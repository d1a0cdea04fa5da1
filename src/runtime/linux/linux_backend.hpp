// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The Linux backend, written to the clknetsim rules (docs/simulation.md §4): one poll() on
// the awaited UDP sockets plus one CLOCK_MONOTONIC timerfd armed at the nearest deadline;
// no epoll, pipes, eventfds or signalfds; never POLLOUT. SIGTERM/SIGINT set a flag through
// sigaction and interrupt poll() with EINTR. All OS calls live in platform/.

#include <memory>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "platform/stop_signals.hpp"
#include "platform/sys_error.hpp"
#include "platform/timer_fd.hpp"
#include "runtime/backend.hpp"

namespace ffclock::runtime::linux_os {

class LinuxBackend final : public Backend {
 public:
  struct Options {
    bool handle_stop_signals = true;  // install SIGTERM/SIGINT handlers (process-wide)
  };
  [[nodiscard]] static core::Result<std::unique_ptr<LinuxBackend>, platform::SysError> create(
      Options options);
  [[nodiscard]] static core::Result<std::unique_ptr<LinuxBackend>, platform::SysError> create() {
    return create(Options{});
  }

  MonoTime now() override;
  WaitOutcome wait(std::span<const int> keys, WaitDeadline deadline) override;
  bool stop_requested() override;
  std::string last_error() const override { return last_error_; }

  // A non-blocking UDP socket bound to `local` (port 0: any free port).
  [[nodiscard]] static core::Result<std::unique_ptr<DatagramPort>, NetError> open_udp(
      platform::Ipv4Endpoint local);
  // A file of `page_size` pages, created or extended to at least `min_pages`.
  [[nodiscard]] static core::Result<std::unique_ptr<BlockStore>, BlockError> open_block_file(
      const std::string& path, std::size_t page_size, uint64_t min_pages);

 private:
  LinuxBackend(platform::TimerFd timer, std::optional<platform::StopSignals> signals)
      : timer_(std::move(timer)), signals_(std::move(signals)) {}
  platform::TimerFd timer_;
  std::optional<platform::StopSignals> signals_;
  std::optional<MonoTime> armed_;  // the deadline the timerfd holds, if any
  std::string last_error_;
};

}  // namespace ffclock::runtime::linux_os
