// SPDX-License-Identifier: BSD-2-Clause
// The NTP server's protocol side: replies field by field, modes, access rules, rate limiting
// with kiss-o'-death, and the no-amplification rule.
#include "core/server/ntp_server.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/ntp/client_request.hpp"
#include "core/time/ntp_time.hpp"

using namespace ffclock;
using namespace ffclock::core;
using namespace ffclock::core::server;

namespace {

const UtcTime kRx = UtcTime::from_unix(1'790'000'000, uint64_t{1} << 62);
constexpr uint32_t kClient = 0x7F000001;

ServedClock synced() {
  ServedClock c;
  c.synchronized = true;
  c.stratum = 2;
  c.refid = 0xC0000201;
  c.root_delay = Duration::microseconds(250);
  c.root_dispersion = Duration::microseconds(40);
  c.reference_time = kRx - Duration::seconds(3);
  c.precision = -24;
  return c;
}

std::vector<uint8_t> request(uint64_t nonce = 0x1122334455667788ULL, NtpMode mode = NtpMode::Client) {
  NtpPacket p = client_request(nonce, 6);
  p.mode = mode;
  const auto a = encode_ntp_packet(p);
  return {a.begin(), a.end()};
}

NtpPacket decoded(const std::array<uint8_t, kNtpHeaderSize>& r) {
  auto d = decode_ntp_packet(r);
  EXPECT_TRUE(d.has_value());
  return d->header;
}

TEST(NtpServer, ClientRequestGetsAServerReply) {
  NtpServer s({});
  auto r = s.on_request(request(), kClient, kRx, 0, synced());
  ASSERT_TRUE(r.has_value());
  NtpServer::stamp_transmit(*r, kRx + Duration::microseconds(7));
  const NtpPacket p = decoded(*r);
  EXPECT_EQ(p.mode, NtpMode::Server);
  EXPECT_EQ(p.version, 4);
  EXPECT_EQ(p.stratum, 2);
  EXPECT_EQ(p.leap, LeapIndicator::None);
  EXPECT_EQ(p.reference_id, 0xC0000201u);
  EXPECT_EQ(p.precision, -24);
  EXPECT_EQ(p.poll, 6);
  EXPECT_EQ(p.origin_ts.raw, 0x1122334455667788ULL);
  EXPECT_EQ(p.receive_ts.raw, to_ntp(kRx).raw);
  EXPECT_EQ(p.transmit_ts.raw, to_ntp(kRx + Duration::microseconds(7)).raw);
  EXPECT_EQ(p.reference_ts.raw, to_ntp(kRx - Duration::seconds(3)).raw);
  EXPECT_NEAR(from_ntp_short(p.root_delay).to_seconds(), 250e-6, 20e-6);
  EXPECT_NEAR(from_ntp_short(p.root_dispersion).to_seconds(), 40e-6, 20e-6);
  EXPECT_EQ(s.stats().requests, 1u);
  EXPECT_EQ(s.stats().replies, 1u);
}

TEST(NtpServer, UnsynchronizedSaysSo) {
  NtpServer s({});
  ServedClock c = synced();
  c.synchronized = false;
  const auto r = s.on_request(request(), kClient, kRx, 0, c);
  ASSERT_TRUE(r.has_value());
  const NtpPacket p = decoded(*r);
  EXPECT_EQ(p.leap, LeapIndicator::Unsynchronized);
  EXPECT_EQ(p.stratum, 16);
}

TEST(NtpServer, LeapIndicatorIsPassedOn) {
  NtpServer s({});
  ServedClock c = synced();
  c.leap = LeapIndicator::InsertSecond;
  EXPECT_EQ(decoded(*s.on_request(request(), kClient, kRx, 0, c)).leap, LeapIndicator::InsertSecond);
}

TEST(NtpServer, SymmetricActiveGetsSymmetricPassive) {
  NtpServer s({});
  const auto r = s.on_request(request(1, NtpMode::SymmetricActive), kClient, kRx, 0, synced());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(decoded(*r).mode, NtpMode::SymmetricPassive);
}

TEST(NtpServer, OtherModesAndGarbageAreDroppedAndCounted) {
  NtpServer s({});
  EXPECT_FALSE(s.on_request(request(1, NtpMode::Server), kClient, kRx, 0, synced()));
  EXPECT_FALSE(s.on_request(request(1, NtpMode::Broadcast), kClient, kRx, 0, synced()));
  std::vector<uint8_t> mode6 = request();
  mode6[0] = static_cast<uint8_t>((mode6[0] & 0xF8) | 6);
  EXPECT_FALSE(s.on_request(mode6, kClient, kRx, 0, synced()));
  const std::vector<uint8_t> short_packet(47, 0x23);
  EXPECT_FALSE(s.on_request(short_packet, kClient, kRx, 0, synced()));
  EXPECT_FALSE(s.on_request({}, kClient, kRx, 0, synced()));
  EXPECT_EQ(s.stats().dropped_mode, 3u);
  EXPECT_EQ(s.stats().dropped_malformed, 2u);
  EXPECT_EQ(s.stats().replies, 0u);
  EXPECT_EQ(s.stats().requests, 5u);
}

TEST(NtpServer, ReplyIsNeverLongerThanTheRequest) {
  NtpServer s({});
  std::vector<uint8_t> with_mac = request();
  with_mac.resize(48 + 20, 0xAB);  // key id + SHA-1 digest
  const auto r = s.on_request(with_mac, kClient, kRx, 0, synced());
  ASSERT_TRUE(r.has_value());
  EXPECT_LE(r->size(), with_mac.size());
  EXPECT_EQ(r->size(), 48u);
}

TEST(NtpServer, AccessRules) {
  ServerPolicy pol;
  pol.access.allow(*parse_cidr("10.0.0.0/8"));
  pol.access.deny(*parse_cidr("10.1.2.0/24"));
  NtpServer s(pol);
  EXPECT_TRUE(s.on_request(request(), 0x0A000001, kRx, 0, synced()));
  EXPECT_FALSE(s.on_request(request(), 0x0A010203, kRx, 0, synced()));
  EXPECT_FALSE(s.on_request(request(), kClient, kRx, 0, synced()));
  EXPECT_EQ(s.stats().dropped_denied, 2u);
}

TEST(NtpServer, FloodGetsRateKissesAndDrops) {
  ServerPolicy pol;
  pol.limit = RateLimit{1.0, 16, 4};
  NtpServer s(pol);
  int replies = 0, kisses = 0, drops = 0;
  for (int i = 0; i < 116; ++i) {
    const auto r =
        s.on_request(request(static_cast<uint64_t>(i + 1)), kClient, kRx, i * 1'000'000LL, synced());
    if (!r) {
      ++drops;
      continue;
    }
    const NtpPacket p = decoded(*r);
    if (p.stratum == 0) {
      ++kisses;
      EXPECT_EQ(p.reference_id, 0x52415445u);  // RATE
      EXPECT_EQ(p.origin_ts.raw, static_cast<uint64_t>(i + 1));
    } else {
      ++replies;
    }
  }
  // 116 requests in 0.116 s: the burst of 16 answered, then one in four of the rest kissed.
  EXPECT_EQ(replies, 16);
  EXPECT_EQ(kisses, 25);
  EXPECT_EQ(drops, 75);
  EXPECT_EQ(s.stats().kod_sent, 25u);
  // Another client is not affected, and the first recovers as its bucket refills.
  EXPECT_EQ(decoded(*s.on_request(request(), kClient + 1, kRx, 200'000'000, synced())).stratum, 2);
  EXPECT_EQ(decoded(*s.on_request(request(), kClient, kRx, 10'200'000'000LL, synced())).stratum, 2);
}

TEST(NtpServer, RateLimitCanBeTurnedOff) {
  ServerPolicy pol;
  pol.rate_limit = false;
  NtpServer s(pol);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(s.on_request(request(), kClient, kRx, 0, synced()));
  EXPECT_EQ(s.stats().replies, 1000u);
}

TEST(Cidr, ParsesAndRefuses) {
  EXPECT_EQ(parse_cidr("192.0.2.1")->prefix, 32);
  EXPECT_EQ(parse_cidr("192.0.2.77/24")->network, 0xC0000200u);
  EXPECT_EQ(parse_cidr("0.0.0.0/0")->prefix, 0);
  EXPECT_TRUE(parse_cidr("0.0.0.0/0")->contains(0xFFFFFFFF));
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/", "a.b.c.d",
                          "1..2.3", "1.2.3.4 ", "-1.2.3.4", "1.2.3.4/-1"}) {
    EXPECT_FALSE(parse_cidr(bad).has_value()) << bad;
  }
}

}  // namespace
