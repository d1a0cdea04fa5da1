// SPDX-License-Identifier: BSD-2-Clause
// The batched port: datagrams queued on the socket come out one by one from one recvmmsg,
// queued sends leave together before the next batch is fetched (and at flush/destruction).
#include "runtime/linux/batch_udp_port.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "platform/udp_socket.hpp"

using namespace ffclock;
using namespace ffclock::runtime;
using namespace ffclock::runtime::linux_os;

namespace {

std::size_t drain(platform::UdpSocket& s, std::vector<uint8_t>& firsts) {
  std::byte buf[64];
  std::size_t n = 0;
  for (int tries = 0; tries < 200; ++tries) {
    auto r = s.try_recv(buf);
    if (r && r->received) {
      ++n;
      firsts.push_back(static_cast<uint8_t>(buf[0]));
    }
  }
  return n;
}

TEST(BatchUdpPort, ReceivesABatchAndSendsRepliesTogether) {
  auto port = BatchUdpPort::open(platform::Ipv4Endpoint::loopback(0), false);
  ASSERT_TRUE(port.has_value());
  auto client = platform::UdpSocket::open(platform::Ipv4Endpoint::loopback(0));
  ASSERT_TRUE(client.has_value());
  for (int i = 0; i < 5; ++i) {
    std::byte b[48];
    std::memset(b, i, sizeof b);
    ASSERT_TRUE(client.value().send_to(b, (*port)->local()).has_value());
  }
  std::byte buf[64];
  std::vector<platform::Ipv4Endpoint> peers;
  for (int i = 0; i < 5; ++i) {
    std::optional<platform::UdpReceived> got;
    for (int tries = 0; tries < 200 && !got; ++tries) {
      auto r = (*port)->try_recv(buf);
      ASSERT_TRUE(r.has_value());
      got = *r;
    }
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->size, 48u);
    EXPECT_EQ(static_cast<int>(buf[0]), i);
    peers.push_back(got->peer);
    std::byte reply[48];
    std::memset(reply, 100 + i, sizeof reply);
    ASSERT_TRUE((*port)->send(reply, got->peer).has_value());
  }
  std::vector<uint8_t> firsts;
  EXPECT_EQ(drain(client.value(), firsts), 0u) << "replies left before the batch was done";
  auto none = (*port)->try_recv(buf);  // fetching the next batch flushes the replies first
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(drain(client.value(), firsts), 5u);
  EXPECT_EQ(firsts, (std::vector<uint8_t>{100, 101, 102, 103, 104}));
}

}  // namespace
