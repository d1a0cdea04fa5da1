// SPDX-License-Identifier: BSD-2-Clause
// The client request: VN 4, mode 3, poll, the nonce as transmit timestamp, all else zero.
#include "core/ntp/client_request.hpp"

#include <gtest/gtest.h>

#include <array>

using namespace ffclock::core;

TEST(ClientRequest, GoldenBytes) {
  const std::array<uint8_t, 48> expected = {
      0x23, 0x00, 0x06, 0x00,  // LI 0, VN 4, mode 3; stratum 0; poll 6; precision 0
      0,    0,    0,    0,    0,    0,    0,    0,    0, 0, 0, 0,  //
      0,    0,    0,    0,    0,    0,    0,    0,                 // reference
      0,    0,    0,    0,    0,    0,    0,    0,                 // origin
      0,    0,    0,    0,    0,    0,    0,    0,                 // receive
      0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,              // transmit = nonce
  };
  EXPECT_EQ(encode_client_request(0xFEDCBA9876543210, 6), expected);
}

TEST(ClientRequest, DecodesAsAClientRequestCarryingTheNonce) {
  const auto bytes = encode_client_request(0x0123456789ABCDEF, -3);
  const auto d = decode_ntp_packet(bytes);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->header, client_request(0x0123456789ABCDEF, -3));
  EXPECT_EQ(d->header.version, 4);
  EXPECT_EQ(d->header.mode, NtpMode::Client);
  EXPECT_EQ(d->header.poll, -3);
  EXPECT_EQ(d->header.transmit_ts.raw, 0x0123456789ABCDEFu);
  EXPECT_TRUE(d->header.origin_ts.is_zero());
  EXPECT_TRUE(d->header.receive_ts.is_zero());
  EXPECT_EQ(d->header.stratum, 0);
  EXPECT_EQ(d->header.leap, LeapIndicator::None);
}
