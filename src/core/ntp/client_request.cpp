// SPDX-License-Identifier: BSD-2-Clause
// NTP client request builder (see client_request.hpp).
#include "core/ntp/client_request.hpp"

namespace ffclock::core {

NtpPacket client_request(uint64_t nonce, int8_t poll_log2) {
  NtpPacket p;
  p.leap = LeapIndicator::None;
  p.version = 4;
  p.mode = NtpMode::Client;
  p.poll = poll_log2;
  p.transmit_ts = NtpTimestamp{nonce};
  return p;
}

std::array<uint8_t, kNtpHeaderSize> encode_client_request(uint64_t nonce, int8_t poll_log2) {
  return encode_ntp_packet(client_request(nonce, poll_log2));
}

}  // namespace ffclock::core
