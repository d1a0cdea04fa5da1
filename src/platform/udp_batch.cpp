// SPDX-License-Identifier: BSD-2-Clause
#include "platform/udp_batch.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace ffclock::platform {

core::Result<std::size_t, SysError> recv_batch(int fd, std::span<BatchDatagram> out) {
  const std::size_t n = std::min(out.size(), kUdpBatch);
  std::array<mmsghdr, kUdpBatch> msgs{};
  std::array<iovec, kUdpBatch> iov{};
  std::array<sockaddr_in, kUdpBatch> addr{};
  for (std::size_t i = 0; i < n; ++i) {
    iov[i] = {out[i].data.data(), out[i].data.size()};
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &addr[i];
    msgs[i].msg_hdr.msg_namelen = sizeof addr[i];
  }
  const int got = recvmmsg(fd, msgs.data(), static_cast<unsigned>(n), MSG_DONTWAIT, nullptr);
  if (got < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return std::size_t{0};
    return core::Unexpected{SysError{"recvmmsg", errno}};
  }
  for (int i = 0; i < got; ++i) {
    out[static_cast<std::size_t>(i)].size = msgs[static_cast<std::size_t>(i)].msg_len;
    out[static_cast<std::size_t>(i)].truncated =
        (msgs[static_cast<std::size_t>(i)].msg_hdr.msg_flags & MSG_TRUNC) != 0;
    out[static_cast<std::size_t>(i)].peer = {ntohl(addr[static_cast<std::size_t>(i)].sin_addr.s_addr),
                                             ntohs(addr[static_cast<std::size_t>(i)].sin_port)};
  }
  return static_cast<std::size_t>(got);
}

core::Result<std::size_t, SysError> send_batch(int fd, std::span<const BatchDatagram> out) {
  const std::size_t n = std::min(out.size(), kUdpBatch);
  std::array<mmsghdr, kUdpBatch> msgs{};
  std::array<iovec, kUdpBatch> iov{};
  std::array<sockaddr_in, kUdpBatch> addr{};
  for (std::size_t i = 0; i < n; ++i) {
    // sendmmsg does not write through iov_base; the cast only drops const.
    iov[i] = {const_cast<uint8_t*>(out[i].data.data()), out[i].size};
    addr[i].sin_family = AF_INET;
    addr[i].sin_port = htons(out[i].peer.port);
    addr[i].sin_addr.s_addr = htonl(out[i].peer.addr);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &addr[i];
    msgs[i].msg_hdr.msg_namelen = sizeof addr[i];
  }
  const int sent = sendmmsg(fd, msgs.data(), static_cast<unsigned>(n), MSG_DONTWAIT);
  if (sent < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) return std::size_t{0};
    return core::Unexpected{SysError{"sendmmsg", errno}};
  }
  return static_cast<std::size_t>(sent);
}

}  // namespace ffclock::platform
