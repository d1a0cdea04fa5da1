// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Builds an NTP client (mode 3) request. Following RFC 9109 / chrony practice the transmit
// timestamp carries a random 64-bit nonce instead of the local time: the server copies it
// into the reply's origin field, which lets the reply be matched to this request and makes
// off-path spoofing require guessing 64 bits. The caller supplies the random value (the
// platform reads it from getrandom); core stays free of randomness.

#include <array>
#include <cstdint>

#include "core/ntp/ntp_packet.hpp"

namespace ffclock::core {

// VN 4, mode 3, the given poll, the nonce as transmit timestamp; every other field zero.
// The nonce must be non-zero: a reply with a zero origin is always refused as Spoofed.
[[nodiscard]] NtpPacket client_request(uint64_t nonce, int8_t poll_log2);

// The same request, on the wire.
[[nodiscard]] std::array<uint8_t, kNtpHeaderSize> encode_client_request(uint64_t nonce, int8_t poll_log2);

}  // namespace ffclock::core
