// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A non-blocking IPv4 UDP socket, made the way the clknetsim simulator can interpose it:
// plain socket(AF_INET, SOCK_DGRAM, 0) (no type flags; O_NONBLOCK is set with fcntl),
// recvmsg with one iovec, sendto. Waiting for readability is the poller's job.

#include <cstddef>
#include <span>

#include "core/result.hpp"
#include "platform/ipv4_endpoint.hpp"
#include "platform/sys_error.hpp"

namespace ffclock::platform {

struct UdpReceived {
  std::size_t size = 0;  // bytes stored at the start of the buffer
  Ipv4Endpoint peer;
  bool truncated = false;  // the datagram was larger than the buffer (its tail is lost)
};

class UdpSocket {
 public:
  // Binds to `local` (port 0 picks a free port). `reuse_port` sets SO_REUSEPORT first, so
  // that several sockets can share the address (the server's production path only).
  [[nodiscard]] static core::Result<UdpSocket, SysError> open(Ipv4Endpoint local, bool reuse_port = false);

  UdpSocket(UdpSocket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  UdpSocket& operator=(UdpSocket&& other) noexcept;
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;
  ~UdpSocket();

  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] core::Result<Ipv4Endpoint, SysError> local_endpoint() const;

  // One recvmsg attempt. An empty queue (EAGAIN) is `received == false`, not an error.
  struct Recv {
    bool received = false;
    UdpReceived datagram;
  };
  [[nodiscard]] core::Result<Recv, SysError> try_recv(std::span<std::byte> buffer);
  [[nodiscard]] core::Result<std::size_t, SysError> send_to(std::span<const std::byte> payload,
                                                            Ipv4Endpoint peer);

 private:
  explicit UdpSocket(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace ffclock::platform
