// SPDX-License-Identifier: BSD-2-Clause
// NTP header codec: golden bytes, real chrony captures, every decode error, round trips,
// and the RFC 7822 extension-field / MAC trailer walk.
#include "core/ntp/ntp_packet.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace ffclock;
using namespace ffclock::core;

namespace {

using Bytes = std::vector<uint8_t>;

NtpPacket sample_packet() {
  NtpPacket p;
  p.leap = LeapIndicator::InsertSecond;
  p.version = 4;
  p.mode = NtpMode::Server;
  p.stratum = 2;
  p.poll = 6;
  p.precision = -20;
  p.root_delay = NtpShort{0x00012345};
  p.root_dispersion = NtpShort{0x0000ABCD};
  p.reference_id = 0xC0000201;  // 192.0.2.1
  p.reference_ts = NtpTimestamp{0xE000000111111111};
  p.origin_ts = NtpTimestamp{0x0102030405060708};
  p.receive_ts = NtpTimestamp{0xE000000222222222};
  p.transmit_ts = NtpTimestamp{0xE000000233333333};
  return p;
}

Bytes header_bytes(const NtpPacket& p) {
  const auto a = encode_ntp_packet(p);
  return Bytes(a.begin(), a.end());
}

// An extension field of `length` bytes (type, length, then a recognisable fill).
Bytes extension(uint16_t type, uint16_t length) {
  Bytes b{static_cast<uint8_t>(type >> 8), static_cast<uint8_t>(type), static_cast<uint8_t>(length >> 8),
          static_cast<uint8_t>(length)};
  while (b.size() < length) b.push_back(static_cast<uint8_t>(0xA0 + b.size()));
  return b;
}

Bytes mac(uint32_t key_id, size_t digest_len) {
  Bytes b{static_cast<uint8_t>(key_id >> 24), static_cast<uint8_t>(key_id >> 16),
          static_cast<uint8_t>(key_id >> 8), static_cast<uint8_t>(key_id)};
  for (size_t i = 0; i < digest_len; ++i) b.push_back(static_cast<uint8_t>(i * 13));
  return b;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes read_capture(const std::string& name) {
  std::ifstream in(std::string(FFCLOCK_SOURCE_DIR) + "/fuzz/corpus/ntp_packet/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

NtpDecodeError decode_error(const Bytes& b) {
  const auto r = decode_ntp_packet(b);
  EXPECT_FALSE(r.has_value());
  return r.has_value() ? NtpDecodeError::TooShort : r.error();
}

}  // namespace

TEST(NtpPacket, GoldenEncoding) {
  const Bytes expected = {
      0x64, 0x02, 0x06, 0xEC,                          // LI 1, VN 4, mode 4; stratum 2; poll 6; precision -20
      0x00, 0x01, 0x23, 0x45, 0x00, 0x00, 0xAB, 0xCD,  // root delay, root dispersion
      0xC0, 0x00, 0x02, 0x01,                          // reference id
      0xE0, 0x00, 0x00, 0x01, 0x11, 0x11, 0x11, 0x11,  // reference
      0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,  // origin
      0xE0, 0x00, 0x00, 0x02, 0x22, 0x22, 0x22, 0x22,  // receive
      0xE0, 0x00, 0x00, 0x02, 0x33, 0x33, 0x33, 0x33,  // transmit
  };
  EXPECT_EQ(header_bytes(sample_packet()), expected);
  const auto d = decode_ntp_packet(expected);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->header, sample_packet());
  EXPECT_EQ(d->trailer, NtpTrailer{});
}

TEST(NtpPacket, RoundTripsEveryModeVersionAndLeap) {
  for (uint8_t vn : {3, 4}) {
    for (uint8_t mode = 1; mode <= 5; ++mode) {
      for (uint8_t li = 0; li < 4; ++li) {
        NtpPacket p = sample_packet();
        p.version = vn;
        p.mode = static_cast<NtpMode>(mode);
        p.leap = static_cast<LeapIndicator>(li);
        p.poll = -7;
        p.precision = 127;
        p.stratum = static_cast<uint8_t>(li * 60 + mode);
        const auto d = decode_ntp_packet(header_bytes(p));
        ASSERT_TRUE(d.has_value());
        EXPECT_EQ(d->header, p);
      }
    }
  }
}

TEST(NtpPacket, DecodesARealChronyReply) {
  // chronyd 4.3 on loopback ("local stratum 10"), answering a v4 request.
  const Bytes reply = read_capture("chrony_v4_0_reply");
  const Bytes request = read_capture("chrony_v4_0_request");
  const auto d = decode_ntp_packet(reply);
  ASSERT_TRUE(d.has_value());
  const NtpPacket& p = d->header;
  EXPECT_EQ(p.leap, LeapIndicator::None);
  EXPECT_EQ(p.version, 4);
  EXPECT_EQ(p.mode, NtpMode::Server);
  EXPECT_EQ(p.stratum, 10);
  EXPECT_EQ(p.poll, 6);
  EXPECT_EQ(p.precision, -24);
  EXPECT_EQ(p.reference_id, 0x7F7F0101u);  // 127.127.1.1: chrony's local reference
  EXPECT_EQ(p.receive_ts.raw, 0xEEAEAB09262E9813u);
  EXPECT_EQ(p.transmit_ts.raw, 0xEEAEAB0927FB5B26u);
  const auto req = decode_ntp_packet(request);
  ASSERT_TRUE(req.has_value());
  EXPECT_EQ(req->header.mode, NtpMode::Client);
  EXPECT_EQ(p.origin_ts, req->header.transmit_ts);  // the server echoed our nonce
  EXPECT_EQ(header_bytes(p), reply);
}

TEST(NtpPacket, RecognisesRealChronyMacs) {
  const auto md5 = decode_ntp_packet(read_capture("chrony_md5_reply"));
  ASSERT_TRUE(md5.has_value());
  EXPECT_EQ(md5->trailer.mac, NtpMac::Digest16);
  EXPECT_EQ(md5->trailer.mac_key_id, 1u);
  EXPECT_EQ(md5->trailer.extension_count, 0u);
  const auto sha1 = decode_ntp_packet(read_capture("chrony_sha1_reply"));
  ASSERT_TRUE(sha1.has_value());
  EXPECT_EQ(sha1->trailer.mac, NtpMac::Digest20);
  EXPECT_EQ(sha1->trailer.mac_key_id, 2u);
  EXPECT_TRUE(sha1->trailer.mac_present());
}

TEST(NtpPacket, DecodeErrors) {
  const Bytes h = header_bytes(sample_packet());
  EXPECT_EQ(decode_error({}), NtpDecodeError::TooShort);
  EXPECT_EQ(decode_error(Bytes(h.begin(), h.end() - 1)), NtpDecodeError::TooShort);

  for (uint8_t vn : {0, 1, 2, 5, 6, 7}) {
    Bytes b = h;
    b[0] = static_cast<uint8_t>((b[0] & ~0x38) | (vn << 3));
    EXPECT_EQ(decode_error(b), NtpDecodeError::BadVersion) << int{vn};
  }
  for (uint8_t mode : {0, 6, 7}) {
    Bytes b = h;
    b[0] = static_cast<uint8_t>((b[0] & ~0x07) | mode);
    EXPECT_EQ(decode_error(b), NtpDecodeError::BadMode) << int{mode};
  }
  // Version is checked before mode.
  EXPECT_EQ(decode_error(Bytes(h.size(), 0)), NtpDecodeError::BadVersion);

  EXPECT_EQ(decode_error(cat({h, Bytes{0x00, 0x01, 0x00, 0x0C}, Bytes(28, 0)})),
            NtpDecodeError::BadExtensionLength);
  EXPECT_EQ(decode_error(cat({h, Bytes{0x00, 0x01, 0x00, 0x22}, Bytes(30, 0)})),
            NtpDecodeError::BadExtensionLength);
  EXPECT_EQ(decode_error(cat({h, Bytes{0x00, 0x01, 0x00, 0x00}, Bytes(28, 0)})),
            NtpDecodeError::BadExtensionLength);
  // Length says 64, only 32 bytes follow.
  EXPECT_EQ(decode_error(cat({h, Bytes{0x00, 0x01, 0x00, 0x40}, Bytes(28, 0)})),
            NtpDecodeError::TruncatedExtension);
  // An 8-byte remainder whose header announces a valid 16-byte field.
  EXPECT_EQ(decode_error(cat({h, Bytes{0x00, 0x01, 0x00, 0x10, 0, 0, 0, 0}})),
            NtpDecodeError::TruncatedExtension);
  // A valid field, then a truncated one.
  EXPECT_EQ(decode_error(cat({h, extension(0x0104, 28), Bytes{0x00, 0x02, 0x00, 0x20}, Bytes(24, 0)})),
            NtpDecodeError::TruncatedExtension);
  for (size_t n : {1, 2, 3}) {
    EXPECT_EQ(decode_error(cat({h, Bytes(n, 0)})), NtpDecodeError::TrailingGarbage) << n;
    EXPECT_EQ(decode_error(cat({h, extension(1, 28), Bytes(n, 0)})), NtpDecodeError::TrailingGarbage) << n;
  }

  NtpPacket v3 = sample_packet();
  v3.version = 3;
  EXPECT_EQ(decode_error(cat({header_bytes(v3), extension(0x0104, 28)})),
            NtpDecodeError::ExtensionInVersion3);
  EXPECT_EQ(decode_error(cat({header_bytes(v3), Bytes(2, 0)})), NtpDecodeError::TrailingGarbage);
}

TEST(NtpPacket, ErrorsHaveDistinctDescriptions) {
  const NtpDecodeError all[] = {NtpDecodeError::TooShort,
                                NtpDecodeError::BadVersion,
                                NtpDecodeError::BadMode,
                                NtpDecodeError::BadExtensionLength,
                                NtpDecodeError::TruncatedExtension,
                                NtpDecodeError::ExtensionInVersion3,
                                NtpDecodeError::TrailingGarbage};
  for (auto a : all) {
    for (auto b : all) {
      if (a != b) {
        EXPECT_NE(to_string(a), to_string(b));
      }
    }
  }
}

TEST(NtpPacket, SkipsExtensionFieldsAndMacs) {
  const Bytes h = header_bytes(sample_packet());
  struct Case {
    const char* name;
    Bytes bytes;
    NtpTrailer trailer;
  };
  const Case cases[] = {
      {"one 28-byte field", cat({h, extension(0x0104, 28)}), {1, NtpMac::None, 0}},
      {"two fields", cat({h, extension(0x0104, 36), extension(0x0204, 100)}), {2, NtpMac::None, 0}},
      {"16-byte field + MD5 MAC", cat({h, extension(0x0204, 16), mac(42, 16)}), {1, NtpMac::Digest16, 42}},
      {"fields + SHA-1 MAC",
       cat({h, extension(1, 16), extension(2, 32), mac(0xDEADBEEF, 20)}),
       {2, NtpMac::Digest20, 0xDEADBEEF}},
      {"MD5 MAC only", cat({h, mac(7, 16)}), {0, NtpMac::Digest16, 7}},
      {"crypto-NAK", cat({h, mac(0, 0)}), {0, NtpMac::CryptoNak, 0}},
      {"field + crypto-NAK", cat({h, extension(9, 28), mac(0, 0)}), {1, NtpMac::CryptoNak, 0}},
      // A field whose own length field looks like a MAC size is still walked by its header.
      {"24-byte field + 20-byte MAC", cat({h, extension(5, 24), mac(3, 16)}), {1, NtpMac::Digest16, 3}},
  };
  for (const Case& c : cases) {
    const auto d = decode_ntp_packet(c.bytes);
    ASSERT_TRUE(d.has_value()) << c.name << ": " << to_string(d.error());
    EXPECT_EQ(d->header, sample_packet()) << c.name;
    EXPECT_EQ(d->trailer, c.trailer) << c.name;
  }

  NtpPacket v3 = sample_packet();
  v3.version = 3;
  const auto d3 = decode_ntp_packet(cat({header_bytes(v3), mac(5, 16)}));
  ASSERT_TRUE(d3.has_value());
  EXPECT_EQ(d3->trailer, (NtpTrailer{0, NtpMac::Digest16, 5}));
}

TEST(NtpPacket, DecodeReadsOnlyItsSpan) {
  // The span ends in the middle of a buffer whose tail would make a valid extension field:
  // the decoder must see only the 48 + 8 bytes it was given.
  const Bytes full = cat({header_bytes(sample_packet()), extension(1, 32)});
  const auto r = decode_ntp_packet(std::span<const uint8_t>(full.data(), 56));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), NtpDecodeError::TruncatedExtension);
}
