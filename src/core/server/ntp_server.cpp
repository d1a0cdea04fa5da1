// SPDX-License-Identifier: BSD-2-Clause
#include "core/server/ntp_server.hpp"

#include <algorithm>

#include "core/time/ntp_time.hpp"

namespace ffclock::core::server {

namespace {
constexpr uint32_t kRate = 0x52415445;  // "RATE"
}  // namespace

NtpServer::NtpServer(ServerPolicy policy) : policy_(std::move(policy)), limiter_(policy_.limit) {}

std::optional<std::array<uint8_t, kNtpHeaderSize>> NtpServer::on_request(std::span<const uint8_t> request,
                                                                         uint32_t client, UtcTime rx,
                                                                         int64_t rx_mono_ns,
                                                                         const ServedClock& clock) {
  ++stats_.requests;
  const auto decoded = decode_ntp_packet(request);
  if (!decoded) {
    // Modes 6 and 7 (control, private) have their own layouts: ignored, not malformed.
    if (decoded.error() == NtpDecodeError::BadMode)
      ++stats_.dropped_mode;
    else
      ++stats_.dropped_malformed;
    return std::nullopt;
  }
  const NtpPacket& q = decoded->header;
  if (q.mode != NtpMode::Client && q.mode != NtpMode::SymmetricActive) {
    ++stats_.dropped_mode;
    return std::nullopt;
  }
  if (!policy_.access.permits(client)) {
    ++stats_.dropped_denied;
    return std::nullopt;
  }
  NtpPacket r;
  r.version = q.version;
  r.mode = q.mode == NtpMode::Client ? NtpMode::Server : NtpMode::SymmetricPassive;
  r.poll = std::clamp<int8_t>(q.poll, 0, 17);
  r.precision = clock.precision;
  r.origin_ts = q.transmit_ts;
  r.receive_ts = to_ntp(rx);
  if (policy_.rate_limit) {
    switch (limiter_.check(client, rx_mono_ns)) {
      case RateLimiter::Verdict::Allow:
        break;
      case RateLimiter::Verdict::Drop:
        ++stats_.dropped_rate_limited;
        return std::nullopt;
      case RateLimiter::Verdict::Kiss:
        // RFC 5905 kiss-o'-death: stratum 0, the code in the refid; the client's own
        // transmit timestamp echoed so it can match it (and nothing else of our clock).
        r.leap = LeapIndicator::Unsynchronized;
        r.stratum = 0;
        r.reference_id = kRate;
        r.receive_ts = NtpTimestamp{};
        ++stats_.kod_sent;
        ++stats_.dropped_rate_limited;
        return encode_ntp_packet(r);
    }
  }
  if (clock.synchronized) {
    r.leap = clock.leap;
    r.stratum = std::clamp<uint8_t>(clock.stratum, 1, 15);
    r.reference_id = clock.refid;
    r.root_delay = to_ntp_short(clock.root_delay);
    r.root_dispersion = to_ntp_short(clock.root_dispersion);
    r.reference_ts = to_ntp(clock.reference_time);
  } else {
    r.leap = LeapIndicator::Unsynchronized;
    r.stratum = 16;
  }
  ++stats_.replies;
  return encode_ntp_packet(r);
}

void NtpServer::stamp_transmit(std::array<uint8_t, kNtpHeaderSize>& reply, UtcTime tx) {
  const uint64_t raw = to_ntp(tx).raw;
  for (int i = 0; i < 8; ++i) reply[40 + i] = static_cast<uint8_t>(raw >> (56 - 8 * i));
}

}  // namespace ffclock::core::server
