// SPDX-License-Identifier: BSD-2-Clause
#include "platform/udp_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>

namespace ffclock::platform {
namespace {

sockaddr_in to_sockaddr(Ipv4Endpoint e) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(e.port);
  sa.sin_addr.s_addr = htonl(e.addr);
  return sa;
}

Ipv4Endpoint from_sockaddr(const sockaddr_in& sa) { return {ntohl(sa.sin_addr.s_addr), ntohs(sa.sin_port)}; }

}  // namespace

core::Result<UdpSocket, SysError> UdpSocket::open(Ipv4Endpoint local, bool reuse_port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return core::Unexpected{SysError{"socket", errno}};
  UdpSocket sock(fd);  // closes fd on every error path below
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    return core::Unexpected{SysError{"fcntl(O_NONBLOCK)", errno}};
  }
  if (reuse_port) {
    const int one = 1;
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) {
      return core::Unexpected{SysError{"setsockopt(SO_REUSEPORT)", errno}};
    }
  }
  const sockaddr_in sa = to_sockaddr(local);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) < 0) {
    return core::Unexpected{SysError{"bind", errno}};
  }
  return sock;
}

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

UdpSocket::~UdpSocket() {
  if (fd_ >= 0) ::close(fd_);
}

core::Result<Ipv4Endpoint, SysError> UdpSocket::local_endpoint() const {
  sockaddr_in sa{};
  socklen_t len = sizeof sa;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len) < 0) {
    return core::Unexpected{SysError{"getsockname", errno}};
  }
  return from_sockaddr(sa);
}

core::Result<UdpSocket::Recv, SysError> UdpSocket::try_recv(std::span<std::byte> buffer) {
  sockaddr_in sa{};
  iovec iov{buffer.data(), buffer.size()};
  msghdr msg{};
  msg.msg_name = &sa;
  msg.msg_namelen = sizeof sa;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  for (;;) {
    const ssize_t n = ::recvmsg(fd_, &msg, 0);
    if (n >= 0) {
      Recv r;
      r.received = true;
      r.datagram.size = static_cast<std::size_t>(n);
      r.datagram.peer = from_sockaddr(sa);
      r.datagram.truncated = (msg.msg_flags & MSG_TRUNC) != 0;
      return r;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Recv{};
    return core::Unexpected{SysError{"recvmsg", errno}};
  }
}

core::Result<std::size_t, SysError> UdpSocket::send_to(std::span<const std::byte> payload,
                                                       Ipv4Endpoint peer) {
  const sockaddr_in sa = to_sockaddr(peer);
  for (;;) {
    const ssize_t n =
        ::sendto(fd_, payload.data(), payload.size(), 0, reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    return core::Unexpected{SysError{"sendto", errno}};
  }
}

}  // namespace ffclock::platform
