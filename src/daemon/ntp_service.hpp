// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The NTP server task: one per `[[server]] listen` address. Reads requests from its Net
// device (the batched port in production, the plain one under simulation), answers from the
// latest publication with the core NtpServer, stamping the receive time with the counter
// value the runtime took when the datagram was read and the transmit time right before the
// send. The client side's timestamps are unaffected: both run on one thread and each read is
// stamped by the runtime when its wait returns.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>

#include "core/page/page_input.hpp"
#include "core/server/ntp_server.hpp"
#include "platform/counter.hpp"
#include "runtime/net_device.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/task.hpp"

namespace ffclock::daemon {

class NtpService {
 public:
  using Latest = std::function<const std::optional<core::PageInput>&()>;
  using Refid = std::function<uint32_t()>;

  NtpService(runtime::Scheduler& sched, std::unique_ptr<runtime::NetDevice> device,
             core::server::ServerPolicy policy, Latest latest, Refid refid, int8_t precision);

  // Serves until cancelled.
  [[nodiscard]] runtime::Task<void> run();
  [[nodiscard]] const core::server::ServerStats& stats() const { return server_.stats(); }
  [[nodiscard]] platform::Ipv4Endpoint local() const { return device_->local(); }

 private:
  // Requests answered per scheduling round at most (see run()).
  static constexpr int kDrainBatch = 16;
  void answer(const runtime::Received& r, uint32_t refid);

  runtime::Scheduler& sched_;
  std::unique_ptr<runtime::NetDevice> device_;
  core::server::NtpServer server_;
  Latest latest_;
  Refid refid_;
  int8_t precision_;
};

// One request answered from `latest` (nullopt: nothing published yet, an unsynchronized
// reply): the receive timestamp at `rx_counter`, the transmit timestamp read from `counter`
// right before returning. Shared by NtpService and the serving threads (ServerWorker).
[[nodiscard]] std::optional<std::array<uint8_t, core::kNtpHeaderSize>> serve_request(
    core::server::NtpServer& server, const std::optional<core::PageInput>& latest, uint32_t refid,
    int8_t precision, std::span<const std::byte> payload, uint32_t client, uint64_t rx_counter,
    int64_t mono_ns, platform::Counter& counter);

// log2 of the timestamp resolution a counter at `nominal_hz` gives, no finer than the ~30 ns
// a counter read and the arithmetic cost.
[[nodiscard]] int8_t precision_for(uint64_t nominal_hz);

}  // namespace ffclock::daemon
