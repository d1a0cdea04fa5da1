// SPDX-License-Identifier: BSD-2-Clause
// Batched UDP on loopback: a batch sent with sendmmsg arrives whole through recvmmsg, with
// sizes, peers and truncation reported; an empty queue is 0, not an error.
#include "platform/udp_batch.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "platform/udp_socket.hpp"

using namespace ffclock::platform;

namespace {

TEST(UdpBatch, RoundTripOnLoopback) {
  auto a = UdpSocket::open(Ipv4Endpoint::loopback(0));
  auto b = UdpSocket::open(Ipv4Endpoint::loopback(0));
  ASSERT_TRUE(a.has_value() && b.has_value());
  const Ipv4Endpoint to = *b->local_endpoint();
  std::vector<BatchDatagram> out(10);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].size = 48 + i;
    std::memset(out[i].data.data(), static_cast<int>(i), out[i].size);
    out[i].peer = to;
  }
  std::vector<BatchDatagram> in(kUdpBatch);
  auto none = recv_batch(b->fd(), in);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(*none, 0u);
  auto sent = send_batch(a->fd(), out);
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(*sent, 10u);
  std::size_t got = 0;
  for (int tries = 0; tries < 100 && got < 10; ++tries) {
    auto r = recv_batch(b->fd(), std::span(in).subspan(got));
    ASSERT_TRUE(r.has_value());
    got += *r;
  }
  ASSERT_EQ(got, 10u);
  const Ipv4Endpoint from = *a->local_endpoint();
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(in[i].size, 48 + i);
    EXPECT_EQ(in[i].data[0], static_cast<uint8_t>(i));
    EXPECT_EQ(in[i].peer, from);
    EXPECT_FALSE(in[i].truncated);
  }
}

TEST(UdpBatch, ReusePortLetsTwoSocketsShareAnAddress) {
  auto a = UdpSocket::open(Ipv4Endpoint::loopback(0), true);
  ASSERT_TRUE(a.has_value());
  auto b = UdpSocket::open(*a->local_endpoint(), true);
  EXPECT_TRUE(b.has_value());
  auto c = UdpSocket::open(*a->local_endpoint(), false);
  EXPECT_FALSE(c.has_value());
}

TEST(UdpBatch, LongDatagramIsMarkedTruncated) {
  auto a = UdpSocket::open(Ipv4Endpoint::loopback(0));
  auto b = UdpSocket::open(Ipv4Endpoint::loopback(0));
  ASSERT_TRUE(a.has_value() && b.has_value());
  std::vector<std::byte> big(kUdpBatchBytes + 100, std::byte{7});
  ASSERT_TRUE(a.value().send_to(big, *b->local_endpoint()).has_value());
  std::vector<BatchDatagram> in(4);
  std::size_t got = 0;
  for (int tries = 0; tries < 100 && got == 0; ++tries) got = *recv_batch(b->fd(), in);
  ASSERT_EQ(got, 1u);
  EXPECT_TRUE(in[0].truncated);
}

}  // namespace
