// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A datagram device (on Linux a UDP socket; simulated in tests), with Miou_solo5's Net
// semantics: read tries once and, if nothing is queued, suspends the task until a datagram
// arrives; write never suspends. Reads return the counter value taken right after the wait
// that saw the datagram (or right after the receive when no wait was involved); writes
// return the counter value taken right before the send.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "core/result.hpp"
#include "platform/ipv4_endpoint.hpp"
#include "runtime/backend.hpp"
#include "runtime/errors.hpp"
#include "runtime/intrusive_list.hpp"
#include "runtime/mono_time.hpp"
#include "runtime/scheduler.hpp"

namespace ffclock::runtime {

struct Received {
  std::span<std::byte> payload;  // the start of the caller's buffer
  platform::Ipv4Endpoint peer;
  uint64_t rx_counter = 0;
};

class NetDevice {
 public:
  // Fails with TooManyDevices past kMaxNetDevices on one scheduler.
  [[nodiscard]] static core::Result<std::unique_ptr<NetDevice>, NetError> open(
      Scheduler& sched, std::unique_ptr<DatagramPort> port);
  NetDevice(const NetDevice&) = delete;
  NetDevice& operator=(const NetDevice&) = delete;
  ~NetDevice();

  struct ReadOp {
    NetDevice* dev = nullptr;
    std::span<std::byte> buffer;
    std::optional<core::Result<Received, NetError>> result;
  };
  struct ReadAwaiter {
    ReadOp op;
    std::optional<MonoTime> deadline;
    bool await_ready() noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h);
    core::Result<Received, NetError> await_resume() { return std::move(*op.result); }
  };
  // co_await read(buf): the next datagram (buffer must outlive the await).
  [[nodiscard]] ReadAwaiter read(std::span<std::byte> buffer) { return {{this, buffer, {}}, {}}; }
  // Like read, but gives up with NetErrc::Timeout at `deadline` (backend clock).
  [[nodiscard]] ReadAwaiter read_until(std::span<std::byte> buffer, MonoTime deadline) {
    return {{this, buffer, {}}, deadline};
  }
  // One receive without suspending or yielding: nullopt when nothing is queued. The stamp is
  // the counter right after the receive. For a task that drains a busy socket in batches and
  // then yields itself (the NTP server), instead of one scheduling round per datagram.
  [[nodiscard]] std::optional<core::Result<Received, NetError>> try_read(std::span<std::byte> buffer) {
    return attempt(buffer, std::nullopt);
  }
  // Sends at once; the transmit counter value, read right before the send.
  [[nodiscard]] core::Result<uint64_t, NetError> write(std::span<const std::byte> payload,
                                                       platform::Ipv4Endpoint peer);

  [[nodiscard]] platform::Ipv4Endpoint local() const { return port_->local(); }
  [[nodiscard]] int wait_key() const { return port_->wait_key(); }
  [[nodiscard]] bool has_readers() const { return !readers_.empty(); }

 private:
  friend class Scheduler;
  NetDevice(Scheduler& sched, std::unique_ptr<DatagramPort> port) : sched_(sched), port_(std::move(port)) {}
  // One receive into `buffer`; nullopt when nothing is queued. The stamp, if given, is the
  // counter value read when the last wait returned.
  std::optional<core::Result<Received, NetError>> attempt(std::span<std::byte> buffer,
                                                          std::optional<uint64_t> stamp);
  // The backend reported this device readable: hand datagrams to readers, first come first.
  void deliver(uint64_t wait_stamp);

  Scheduler& sched_;
  std::unique_ptr<DatagramPort> port_;
  IntrusiveList<TaskNode> readers_;
};

}  // namespace ffclock::runtime
