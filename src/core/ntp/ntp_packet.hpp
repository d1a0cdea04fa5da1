// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The NTP packet on the wire (RFC 5905 §7.3): encode and decode the 48-byte header, and
// walk the optional trailer (RFC 7822 extension fields, then an optional MAC) without
// interpreting it. Decoding never reads outside the given bytes and reports every kind of
// malformed input as its own error value.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/exchange.hpp"
#include "core/result.hpp"
#include "core/time/ntp_time.hpp"

namespace ffclock::core {

inline constexpr size_t kNtpHeaderSize = 48;

// RFC 5905 association modes. Modes 0 (reserved), 6 (control) and 7 (private) have other
// packet layouts and are refused by the decoder.
enum class NtpMode : uint8_t {
  Reserved = 0,
  SymmetricActive = 1,
  SymmetricPassive = 2,
  Client = 3,
  Server = 4,
  Broadcast = 5,
  Control = 6,
  Private = 7,
};

// The 48-byte header, field for field, integers in host order.
struct NtpPacket {
  LeapIndicator leap = LeapIndicator::None;
  uint8_t version = 4;  // 3 or 4 (encode keeps the low 3 bits)
  NtpMode mode = NtpMode::Client;
  uint8_t stratum = 0;
  int8_t poll = 0;       // log2 seconds
  int8_t precision = 0;  // log2 seconds
  NtpShort root_delay;
  NtpShort root_dispersion;
  uint32_t reference_id = 0;
  NtpTimestamp reference_ts;
  NtpTimestamp origin_ts;
  NtpTimestamp receive_ts;
  NtpTimestamp transmit_ts;
  friend bool operator==(const NtpPacket&, const NtpPacket&) = default;
};

// What followed the header. Extension fields are skipped (ffclock does not use NTS or
// autokey); the MAC, if any, is recognised by its length but not verified.
enum class NtpMac : uint8_t {
  None = 0,
  CryptoNak,  // 4 bytes: key id only (RFC 5905 crypto-NAK)
  Digest16,   // 4-byte key id + 16-byte digest (MD5, AES-CMAC)
  Digest20,   // 4-byte key id + 20-byte digest (SHA-1)
};

struct NtpTrailer {
  size_t extension_count = 0;
  NtpMac mac = NtpMac::None;
  uint32_t mac_key_id = 0;
  constexpr bool mac_present() const { return mac != NtpMac::None; }
  friend bool operator==(const NtpTrailer&, const NtpTrailer&) = default;
};

struct DecodedNtpPacket {
  NtpPacket header;
  NtpTrailer trailer;
  friend bool operator==(const DecodedNtpPacket&, const DecodedNtpPacket&) = default;
};

enum class NtpDecodeError : uint8_t {
  TooShort,             // fewer than 48 bytes
  BadVersion,           // VN other than 3 or 4
  BadMode,              // mode 0, 6 or 7 (not the 48-byte header layout)
  BadExtensionLength,   // extension length < 16 or not a multiple of 4
  TruncatedExtension,   // extension length runs past the end of the packet
  ExtensionInVersion3,  // NTPv3 has no extension fields: only a MAC may follow
  TrailingGarbage,      // 1-3 bytes left that are neither an extension field nor a MAC
};

std::string_view to_string(NtpDecodeError e);

// Decodes a packet: header, then extension fields, then an optional MAC.
[[nodiscard]] Result<DecodedNtpPacket, NtpDecodeError> decode_ntp_packet(std::span<const uint8_t> bytes);

// Encodes the header (no extension fields, no MAC).
[[nodiscard]] std::array<uint8_t, kNtpHeaderSize> encode_ntp_packet(const NtpPacket& p);

}  // namespace ffclock::core
