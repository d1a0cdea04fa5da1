// SPDX-License-Identifier: BSD-2-Clause
#include "runtime/net_device.hpp"

#include <cerrno>

namespace ffclock::runtime {

core::Result<std::unique_ptr<NetDevice>, NetError> NetDevice::open(Scheduler& sched,
                                                                   std::unique_ptr<DatagramPort> port) {
  std::unique_ptr<NetDevice> dev(new NetDevice(sched, std::move(port)));
  if (!sched.attach(dev.get())) return core::Unexpected{NetError{NetErrc::TooManyDevices, 0}};
  return dev;
}

NetDevice::~NetDevice() {
  // Readers of a device that goes away get an error instead of waiting forever.
  while (TaskNode* n = readers_.front()) {
    static_cast<ReadOp*>(n->wait_op)->result =
        core::Result<Received, NetError>(core::Unexpected{NetError{NetErrc::RecvFailed, EBADF}});
    sched_.unpark(n);
    sched_.make_ready(n);
  }
  sched_.detach(this);
}

std::optional<core::Result<Received, NetError>> NetDevice::attempt(std::span<std::byte> buffer,
                                                                   std::optional<uint64_t> stamp) {
  auto r = port_->try_recv(buffer);
  if (!r) return core::Result<Received, NetError>(core::Unexpected{r.error()});
  if (!r.value()) return std::nullopt;
  const uint64_t rx = stamp ? *stamp : sched_.counter().read();
  const platform::UdpReceived& d = *r.value();
  if (d.truncated) {
    return core::Result<Received, NetError>(core::Unexpected{NetError{NetErrc::Truncated, 0}});
  }
  return core::Result<Received, NetError>(Received{buffer.first(d.size), d.peer, rx});
}

void NetDevice::ReadAwaiter::await_suspend(std::coroutine_handle<> h) {
  Scheduler& s = op.dev->sched_;
  if (auto r = op.dev->attempt(op.buffer, std::nullopt)) {
    op.result = std::move(*r);
    s.park_ready(h);  // got one at once: still a scheduling point
    return;
  }
  s.park_net_read(h, op.dev, &op, deadline);
}

core::Result<uint64_t, NetError> NetDevice::write(std::span<const std::byte> payload,
                                                  platform::Ipv4Endpoint peer) {
  const uint64_t tx = sched_.counter().read();
  auto r = port_->send(payload, peer);
  if (!r) return core::Unexpected{r.error()};
  return tx;
}

void NetDevice::deliver(uint64_t wait_stamp) {
  bool fresh = true;  // only the first datagram surely arrived before the wait returned
  while (TaskNode* n = readers_.front()) {
    auto* op = static_cast<ReadOp*>(n->wait_op);
    auto r = attempt(op->buffer, fresh ? std::optional<uint64_t>(wait_stamp) : std::nullopt);
    if (!r) return;  // nothing more queued: the rest keep waiting
    fresh = false;
    op->result = std::move(*r);
    sched_.unpark(n);
    sched_.make_ready(n);
  }
}

}  // namespace ffclock::runtime
