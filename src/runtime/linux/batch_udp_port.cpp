// SPDX-License-Identifier: BSD-2-Clause
#include "runtime/linux/batch_udp_port.hpp"

#include <algorithm>
#include <cstring>

namespace ffclock::runtime::linux_os {

core::Result<std::unique_ptr<BatchUdpPort>, NetError> BatchUdpPort::open(platform::Ipv4Endpoint local,
                                                                         bool reuse_port) {
  auto sock = platform::UdpSocket::open(local, reuse_port);
  if (!sock) return core::Unexpected{NetError{NetErrc::OpenFailed, sock.error().code}};
  auto bound = sock->local_endpoint();
  if (!bound) return core::Unexpected{NetError{NetErrc::OpenFailed, bound.error().code}};
  return std::unique_ptr<BatchUdpPort>(new BatchUdpPort(std::move(sock).value(), *bound));
}

BatchUdpPort::BatchUdpPort(platform::UdpSocket sock, platform::Ipv4Endpoint local)
    : sock_(std::move(sock)), local_(local), in_(platform::kUdpBatch), out_(platform::kUdpBatch) {}

BatchUdpPort::~BatchUdpPort() { flush(); }

void BatchUdpPort::flush() {
  std::size_t done = 0;
  while (done < out_count_) {
    auto r = platform::send_batch(sock_.fd(), std::span(out_).subspan(done, out_count_ - done));
    if (!r || *r == 0) break;  // a full socket buffer drops the rest, as UDP may
    done += *r;
  }
  out_count_ = 0;
}

core::Result<std::optional<platform::UdpReceived>, NetError> BatchUdpPort::try_recv(
    std::span<std::byte> buffer) {
  if (in_next_ == in_count_) {
    flush();  // the replies to the last batch leave before we look for more (or suspend)
    in_next_ = in_count_ = 0;
    auto r = platform::recv_batch(sock_.fd(), in_);
    if (!r) return core::Unexpected{NetError{NetErrc::RecvFailed, r.error().code}};
    if (*r == 0) return std::optional<platform::UdpReceived>{};
    in_count_ = *r;
  }
  const platform::BatchDatagram& d = in_[in_next_++];
  const std::size_t n = std::min(buffer.size(), d.size);
  std::memcpy(buffer.data(), d.data.data(), n);
  platform::UdpReceived out;
  out.size = n;
  out.peer = d.peer;
  out.truncated = d.truncated || n < d.size;
  return std::optional<platform::UdpReceived>(out);
}

core::Result<Unit, NetError> BatchUdpPort::send(std::span<const std::byte> payload,
                                                platform::Ipv4Endpoint peer) {
  if (payload.size() > platform::kUdpBatchBytes)
    return core::Unexpected{NetError{NetErrc::SendFailed, EMSGSIZE}};
  if (out_count_ == out_.size()) flush();
  platform::BatchDatagram& d = out_[out_count_++];
  std::memcpy(d.data.data(), payload.data(), payload.size());
  d.size = payload.size();
  d.peer = peer;
  return Unit{};
}

}  // namespace ffclock::runtime::linux_os
