// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Turns the bytes of an NTP server reply into an Exchange for the estimator, or says
// exactly why the reply is refused. The checks follow RFC 5905 §8 and RADclock's
// bad_packet_server / insane_bidir_stamp: the reply must answer our request (origin equals
// the nonce we sent), must not repeat the last accepted reply, must come from a
// synchronized server, and its timestamps must be ordered. A kiss-o'-death is reported as
// such, with its code, so the caller can back off (RATE) or stop (DENY, RSTR).

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/exchange.hpp"
#include "core/ntp/kiss_code.hpp"
#include "core/ntp/ntp_packet.hpp"
#include "core/result.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core {

enum class RejectReason : uint8_t {
  Malformed,       // the bytes do not decode (see ReplyRejection::decode_error)
  NotServerMode,   // mode is not 4 (server)
  Spoofed,         // origin timestamp is zero or not the nonce we sent
  KissOfDeath,     // stratum 0 (see ReplyRejection::kiss)
  Unsynchronized,  // LI 3 or stratum 16
  BadStratum,      // stratum 17..255 (reserved)
  ZeroTimestamp,   // receive or transmit timestamp is zero
  Replayed,        // same transmit timestamp as the previous accepted reply
  BadTimestamps,   // Te < Tb, or Tf <= Ta
};

struct ReplyRejection {
  RejectReason reason = RejectReason::Malformed;
  NtpDecodeError decode_error = NtpDecodeError::TooShort;  // meaningful for Malformed only
  Kiss kiss;                                               // meaningful for KissOfDeath only
  friend bool operator==(const ReplyRejection&, const ReplyRejection&) = default;
};

std::string_view to_string(RejectReason r);

// What the client remembers about the request it sent.
struct SentRequest {
  uint64_t nonce = 0;       // the transmit timestamp of the request
  uint64_t ta_counter = 0;  // counter read right before sending
};

// Pure form: `previous_transmit` is the transmit timestamp of the last accepted reply from
// this server (nullopt if none). `pivot` is an approximate current time for NTP era
// resolution (any value within +-68 years of the truth).
[[nodiscard]] Result<Exchange, ReplyRejection> match_reply(std::span<const uint8_t> reply,
                                                           const SentRequest& sent, uint64_t tf_counter,
                                                           UtcTime pivot,
                                                           std::optional<NtpTimestamp> previous_transmit);

// Per-server matcher that keeps the replay state between calls.
class ReplyMatcher {
 public:
  [[nodiscard]] Result<Exchange, ReplyRejection> match(std::span<const uint8_t> reply,
                                                       const SentRequest& sent, uint64_t tf_counter,
                                                       UtcTime pivot);
  std::optional<NtpTimestamp> last_accepted_transmit() const { return last_transmit_; }

 private:
  std::optional<NtpTimestamp> last_transmit_;
};

}  // namespace ffclock::core
