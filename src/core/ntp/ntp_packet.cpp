// SPDX-License-Identifier: BSD-2-Clause
// NTP header codec and trailer walk (see ntp_packet.hpp).
#include "core/ntp/ntp_packet.hpp"

#include <optional>

namespace ffclock::core {
namespace {

// Wire sizes (RFC 5905 §7.3, RFC 7822 §3).
constexpr size_t kCryptoNakSize = 4;
constexpr size_t kMac16Size = 4 + 16;
constexpr size_t kMac20Size = 4 + 20;
constexpr size_t kExtensionHeaderSize = 4;
constexpr size_t kMinExtensionSize = 16;

constexpr uint16_t load_be16(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint16_t>((unsigned{b[at]} << 8) | unsigned{b[at + 1]});
}
constexpr uint32_t load_be32(std::span<const uint8_t> b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) |
         uint32_t{b[at + 3]};
}
constexpr uint64_t load_be64(std::span<const uint8_t> b, size_t at) {
  return (uint64_t{load_be32(b, at)} << 32) | load_be32(b, at + 4);
}
constexpr void store_be32(std::span<uint8_t> b, size_t at, uint32_t v) {
  b[at] = static_cast<uint8_t>(v >> 24);
  b[at + 1] = static_cast<uint8_t>(v >> 16);
  b[at + 2] = static_cast<uint8_t>(v >> 8);
  b[at + 3] = static_cast<uint8_t>(v);
}
constexpr void store_be64(std::span<uint8_t> b, size_t at, uint64_t v) {
  store_be32(b, at, static_cast<uint32_t>(v >> 32));
  store_be32(b, at + 4, static_cast<uint32_t>(v));
}

// A MAC is recognised by the exact number of bytes left: RFC 7822 requires the last
// extension field to be at least 28 bytes when no MAC follows, so a 4-, 20- or 24-byte
// remainder is never an extension field.
constexpr std::optional<NtpMac> mac_from_size(size_t remaining) {
  switch (remaining) {
    case kCryptoNakSize:
      return NtpMac::CryptoNak;
    case kMac16Size:
      return NtpMac::Digest16;
    case kMac20Size:
      return NtpMac::Digest20;
    default:
      return std::nullopt;
  }
}

Result<NtpTrailer, NtpDecodeError> walk_trailer(std::span<const uint8_t> rest, uint8_t version) {
  NtpTrailer t;
  size_t at = 0;
  while (at < rest.size()) {
    const size_t remaining = rest.size() - at;
    if (const auto mac = mac_from_size(remaining)) {
      t.mac = *mac;
      t.mac_key_id = load_be32(rest, at);
      return t;
    }
    if (remaining < kExtensionHeaderSize) return Unexpected{NtpDecodeError::TrailingGarbage};
    if (version == 3) return Unexpected{NtpDecodeError::ExtensionInVersion3};
    const size_t length = load_be16(rest, at + 2);
    if (length < kMinExtensionSize || length % 4 != 0) {
      return Unexpected{NtpDecodeError::BadExtensionLength};
    }
    if (length > remaining) return Unexpected{NtpDecodeError::TruncatedExtension};
    at += length;
    ++t.extension_count;
  }
  return t;
}

}  // namespace

std::string_view to_string(NtpDecodeError e) {
  switch (e) {
    case NtpDecodeError::TooShort:
      return "shorter than the 48-byte NTP header";
    case NtpDecodeError::BadVersion:
      return "NTP version is not 3 or 4";
    case NtpDecodeError::BadMode:
      return "NTP mode 0, 6 or 7";
    case NtpDecodeError::BadExtensionLength:
      return "extension field length < 16 or not a multiple of 4";
    case NtpDecodeError::TruncatedExtension:
      return "extension field runs past the end of the packet";
    case NtpDecodeError::ExtensionInVersion3:
      return "NTPv3 packet with bytes after the header that are not a MAC";
    case NtpDecodeError::TrailingGarbage:
      return "trailing bytes that are neither an extension field nor a MAC";
  }
  return "unknown NTP decode error";
}

Result<DecodedNtpPacket, NtpDecodeError> decode_ntp_packet(std::span<const uint8_t> bytes) {
  if (bytes.size() < kNtpHeaderSize) return Unexpected{NtpDecodeError::TooShort};
  NtpPacket p;
  const uint8_t first = bytes[0];
  p.leap = static_cast<LeapIndicator>(first >> 6);
  p.version = static_cast<uint8_t>((first >> 3) & 0x7);
  p.mode = static_cast<NtpMode>(first & 0x7);
  if (p.version != 3 && p.version != 4) return Unexpected{NtpDecodeError::BadVersion};
  if (p.mode == NtpMode::Reserved || p.mode == NtpMode::Control || p.mode == NtpMode::Private) {
    return Unexpected{NtpDecodeError::BadMode};
  }
  p.stratum = bytes[1];
  p.poll = static_cast<int8_t>(bytes[2]);
  p.precision = static_cast<int8_t>(bytes[3]);
  p.root_delay = NtpShort{load_be32(bytes, 4)};
  p.root_dispersion = NtpShort{load_be32(bytes, 8)};
  p.reference_id = load_be32(bytes, 12);
  p.reference_ts = NtpTimestamp{load_be64(bytes, 16)};
  p.origin_ts = NtpTimestamp{load_be64(bytes, 24)};
  p.receive_ts = NtpTimestamp{load_be64(bytes, 32)};
  p.transmit_ts = NtpTimestamp{load_be64(bytes, 40)};

  auto trailer = walk_trailer(bytes.subspan(kNtpHeaderSize), p.version);
  if (!trailer) return Unexpected{trailer.error()};
  return DecodedNtpPacket{p, trailer.value()};
}

std::array<uint8_t, kNtpHeaderSize> encode_ntp_packet(const NtpPacket& p) {
  std::array<uint8_t, kNtpHeaderSize> out{};
  out[0] = static_cast<uint8_t>((static_cast<unsigned>(p.leap) & 0x3) << 6 | (p.version & 0x7u) << 3 |
                                (static_cast<unsigned>(p.mode) & 0x7));
  out[1] = p.stratum;
  out[2] = static_cast<uint8_t>(p.poll);
  out[3] = static_cast<uint8_t>(p.precision);
  store_be32(out, 4, p.root_delay.raw);
  store_be32(out, 8, p.root_dispersion.raw);
  store_be32(out, 12, p.reference_id);
  store_be64(out, 16, p.reference_ts.raw);
  store_be64(out, 24, p.origin_ts.raw);
  store_be64(out, 32, p.receive_ts.raw);
  store_be64(out, 40, p.transmit_ts.raw);
  return out;
}

}  // namespace ffclock::core
