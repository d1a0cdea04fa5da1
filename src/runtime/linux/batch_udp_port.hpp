// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A DatagramPort for many small request/reply exchanges (the NTP server's production path):
// receives come from one recvmmsg per batch, sends are queued and leave in one sendmmsg,
// flushed before the next batch is fetched (so before the task can suspend) or when the
// queue is full. Not simulation-compatible; the plain UdpPort remains for that.

#include <cstddef>
#include <memory>
#include <vector>

#include "core/result.hpp"
#include "platform/udp_batch.hpp"
#include "platform/udp_socket.hpp"
#include "runtime/backend.hpp"

namespace ffclock::runtime::linux_os {

class BatchUdpPort final : public DatagramPort {
 public:
  // Binds to `local`; `reuse_port` lets several ports share it (SO_REUSEPORT).
  [[nodiscard]] static core::Result<std::unique_ptr<BatchUdpPort>, NetError> open(
      platform::Ipv4Endpoint local, bool reuse_port);
  ~BatchUdpPort() override;

  int wait_key() const override { return sock_.fd(); }
  platform::Ipv4Endpoint local() const override { return local_; }
  core::Result<std::optional<platform::UdpReceived>, NetError> try_recv(std::span<std::byte> buffer) override;
  core::Result<Unit, NetError> send(std::span<const std::byte> payload, platform::Ipv4Endpoint peer) override;
  // Sends what is queued.
  void flush();

 private:
  BatchUdpPort(platform::UdpSocket sock, platform::Ipv4Endpoint local);
  platform::UdpSocket sock_;
  platform::Ipv4Endpoint local_;
  std::vector<platform::BatchDatagram> in_;
  std::size_t in_next_ = 0;
  std::size_t in_count_ = 0;
  std::vector<platform::BatchDatagram> out_;
  std::size_t out_count_ = 0;
};

}  // namespace ffclock::runtime::linux_os
