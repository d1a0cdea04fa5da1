// SPDX-License-Identifier: BSD-2-Clause
// Fuzzes the NTP packet decoder and the reply matcher, checking properties, not just the
// absence of crashes:
//  - a decoded header re-encodes to exactly the first 48 input bytes and re-decodes equal;
//  - an accepted reply satisfies every promise of the matcher (server mode, sane stratum,
//    synchronized, Te >= Tb, Tf > Ta, era resolved near the pivot), and the same bytes
//    matched again are refused as Replayed;
//  - a kiss is only ever reported for stratum 0.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "core/ntp/ntp_packet.hpp"
#include "core/ntp/reply_matcher.hpp"

using namespace ffclock;
using namespace ffclock::core;

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

void check_matcher(std::span<const uint8_t> bytes, const NtpPacket& h, UtcTime pivot) {
  // Answer with the packet's own origin so that matching proceeds past the spoof check;
  // counters come from the packet bytes so that Tf <= Ta is reached too.
  const SentRequest sent{h.origin_ts.raw, uint64_t{h.reference_ts.fraction()}};
  const uint64_t tf = uint64_t{h.reference_ts.seconds()};
  ReplyMatcher matcher;
  const auto first = matcher.match(bytes, sent, tf, pivot);
  if (!first) {
    const ReplyRejection rej = first.error();
    require(rej.reason != RejectReason::Malformed);
    if (rej.reason == RejectReason::KissOfDeath) {
      require(h.stratum == 0);
      require(rej.kiss.ascii == refid_chars(h.reference_id));
    }
    require(!matcher.last_accepted_transmit().has_value());
    return;
  }
  const Exchange& x = first.value();
  require(h.mode == NtpMode::Server);
  require(h.stratum >= 1 && h.stratum <= 15);
  require(h.leap != LeapIndicator::Unsynchronized);
  require(!h.origin_ts.is_zero() && !h.receive_ts.is_zero() && !h.transmit_ts.is_zero());
  require(x.te >= x.tb && x.tf > x.ta && x.ta == sent.ta_counter && x.tf == tf);
  require(to_ntp(x.tb) == h.receive_ts && to_ntp(x.te) == h.transmit_ts);
  require(abs(x.te - pivot) <= Duration::seconds((int64_t{1} << 31) + 1));
  require(x.server.stratum == h.stratum && x.server.refid == h.reference_id);
  require(matcher.last_accepted_transmit() == h.transmit_ts);

  const auto again = matcher.match(bytes, sent, tf, pivot);
  require(!again && again.error().reason == RejectReason::Replayed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  const auto decoded = decode_ntp_packet(bytes);
  if (!decoded) {
    // The matcher must refuse the same bytes as malformed, with the same error.
    const auto r = match_reply(bytes, SentRequest{1, 0}, 1, UtcTime{}, std::nullopt);
    require(!r && r.error().reason == RejectReason::Malformed && r.error().decode_error == decoded.error());
    return 0;
  }
  const NtpPacket& h = decoded->header;
  require(h.version == 3 || h.version == 4);
  if (h.version == 3) require(decoded->trailer.extension_count == 0);

  const auto wire = encode_ntp_packet(h);
  require(std::memcmp(wire.data(), data, wire.size()) == 0);
  const auto again = decode_ntp_packet(wire);
  require(again.has_value() && again->header == h && again->trailer == NtpTrailer{});

  // Two pivots: 2026 (era 0) and 2100 (era 1).
  check_matcher(bytes, h, UtcTime::from_unix(1'767'225'600));
  check_matcher(bytes, h, UtcTime::from_unix(4'102'444'800));
  return 0;
}
