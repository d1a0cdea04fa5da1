// SPDX-License-Identifier: BSD-2-Clause
// A serving thread (`[[server]] threads = N`): answers on its own SO_REUSEPORT socket from the
// publication handed over by ServedSnapshot (unsynchronized before one), counts what it did,
// and stops promptly when destroyed. Real loopback sockets, a fake counter.
#include "daemon/server_worker.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <optional>
#include <thread>

#include "core/ntp/client_request.hpp"
#include "core/time/ntp_time.hpp"
#include "unit/daemon/served_publication.hpp"

using namespace ffclock;
using namespace ffclock::daemon;

namespace {

core::PageInput publication(uint64_t anchor_counter, UtcTime at) {
  return test::served_publication(anchor_counter, at, Duration::seconds(3600));
}

// A client socket on loopback with a receive timeout.
class Client {
 public:
  Client() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    timeval tv{5, 0};  // generous: the machine may be loaded
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // One request to `port`; the decoded reply, or nullopt after the timeout.
  std::optional<core::NtpPacket> ask(uint16_t port, uint64_t transmit) {
    const auto req = core::encode_client_request(transmit, 4);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::sendto(fd_, req.data(), req.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0)
      return std::nullopt;
    std::array<uint8_t, 512> buf{};
    const ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n <= 0) return std::nullopt;
    auto p = core::decode_ntp_packet(std::span<const uint8_t>(buf.data(), static_cast<size_t>(n)));
    if (!p) return std::nullopt;
    return p->header;
  }

 private:
  int fd_ = -1;
};

TEST(ServedSnapshot, HandsOverEachPublicationOnce) {
  ServedSnapshot snap;
  uint64_t seen = 0;
  ServedSource mine;
  snap.refresh(seen, mine);
  EXPECT_FALSE(mine.latest.has_value());
  const UtcTime at = UtcTime::from_unix(1'790'000'000);
  snap.store(publication(5, at), 0x7F000001u);
  snap.refresh(seen, mine);
  ASSERT_TRUE(mine.latest.has_value());
  EXPECT_EQ(mine.latest->params.anchor_counter, 5u);
  EXPECT_EQ(mine.refid, 0x7F000001u);
  mine.refid = 0;  // not copied again until the next publication
  snap.refresh(seen, mine);
  EXPECT_EQ(mine.refid, 0u);
  snap.store(publication(6, at), 0x53595300u);
  snap.refresh(seen, mine);
  EXPECT_EQ(mine.latest->params.anchor_counter, 6u);
  EXPECT_EQ(mine.refid, 0x53595300u);
}

TEST(ServerWorker, AnswersOnItsOwnReusePortSocketFromTheSnapshot) {
  auto port = runtime::linux_os::BatchUdpPort::open(platform::Ipv4Endpoint::loopback(0), true);
  ASSERT_TRUE(port.has_value());
  const uint16_t listen = port.value()->local().port;
  // A second socket on the same address and port: SO_REUSEPORT is what threads > 1 rely on.
  auto sibling = runtime::linux_os::BatchUdpPort::open(platform::Ipv4Endpoint::loopback(listen), true);
  ASSERT_TRUE(sibling.has_value());
  sibling.value().reset();  // only this test's worker answers

  platform::FakeCounter counter{2'000'000'000};  // 2 s after the anchor below, 1 tick per ns
  ServedSnapshot snap;
  core::server::ServerPolicy policy;
  policy.rate_limit = false;
  std::optional<ServerWorker> worker;
  auto wake = platform::WakeEvent::create();
  ASSERT_TRUE(wake.has_value());
  worker.emplace(std::move(port).value(), policy, snap, counter, -25, std::move(wake).value());
  worker->start();
  Client client;

  // Nothing published yet: an unsynchronized reply.
  auto r = client.ask(listen, 0x1111);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->mode, core::NtpMode::Server);
  EXPECT_EQ(r->origin_ts.raw, 0x1111u);
  EXPECT_EQ(r->leap, core::LeapIndicator::Unsynchronized);
  EXPECT_EQ(r->stratum, 16);

  const UtcTime at = UtcTime::from_unix(1'790'000'000);
  snap.store(publication(1'000'000'000, at), 0x7F000001u);
  r = client.ask(listen, 0x2222);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->origin_ts.raw, 0x2222u);
  EXPECT_EQ(r->leap, core::LeapIndicator::None);
  EXPECT_EQ(r->stratum, 2);
  EXPECT_EQ(r->reference_id, 0x7F000001u);
  EXPECT_EQ(r->precision, -25);
  // The fake counter stands 1 s after the anchor: both timestamps say so.
  EXPECT_NEAR((core::from_ntp(r->receive_ts, at) - (at + Duration::seconds(1))).to_seconds(), 0, 1e-6);
  EXPECT_NEAR((core::from_ntp(r->transmit_ts, at) - (at + Duration::seconds(1))).to_seconds(), 0, 1e-6);

  // Counters reach the atomics after each batch.
  core::server::ServerStats st;
  for (int i = 0; i < 500 && (st = worker->stats()).replies < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(st.requests, 2u);
  EXPECT_EQ(st.replies, 2u);
  EXPECT_EQ(st.dropped_malformed + st.dropped_rate_limited + st.dropped_denied + st.dropped_mode, 0u);

  worker.reset();  // stops and joins (a thread that never stopped would hang the test)
}

}  // namespace
