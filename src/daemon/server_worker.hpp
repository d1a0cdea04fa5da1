// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A serving thread of a `[[server]]` listener with `threads = N` (N > 1): its own
// SO_REUSEPORT socket beside the daemon thread's (the kernel spreads clients over the sockets
// by address and port, so one client socket stays on one thread and its rate limit holds),
// its own NtpServer (rate limiter, counters), answering from the ServedSnapshot with the same
// rules as NtpService. It blocks in poll() on its socket and a wake event (no timeout: no
// idle wakeups), so it never delays the daemon thread's own timestamps; its counters are
// copied to atomics after each batch for the sources page. Production only (a thread, an
// eventfd): io = "batch".

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

#include "core/server/ntp_server.hpp"
#include "daemon/served_snapshot.hpp"
#include "platform/counter.hpp"
#include "platform/wake_event.hpp"
#include "runtime/linux/batch_udp_port.hpp"

namespace ffclock::daemon {

class ServerWorker {
 public:
  ServerWorker(std::unique_ptr<runtime::linux_os::BatchUdpPort> port, core::server::ServerPolicy policy,
               const ServedSnapshot& snapshot, platform::Counter& counter, int8_t precision,
               platform::WakeEvent stop);
  ServerWorker(const ServerWorker&) = delete;
  ServerWorker& operator=(const ServerWorker&) = delete;
  ~ServerWorker();  // stops the thread and joins it

  // Starts the thread with SIGTERM and SIGINT blocked in it: they must interrupt the daemon
  // thread's wait, not this one's.
  void start();
  // Any thread: the counters as of the last batch.
  [[nodiscard]] core::server::ServerStats stats() const;

 private:
  void run();
  void publish_stats();

  std::unique_ptr<runtime::linux_os::BatchUdpPort> port_;
  core::server::NtpServer server_;
  const ServedSnapshot& snapshot_;
  platform::Counter& counter_;
  int8_t precision_;
  platform::WakeEvent stop_event_;
  std::atomic<bool> stopping_{false};
  struct AtomicStats {
    std::atomic<uint64_t> requests{0}, replies{0}, kod_sent{0}, malformed{0}, rate_limited{0}, denied{0},
        mode{0};
  } shared_;
  std::thread thread_;
};

}  // namespace ffclock::daemon
