// SPDX-License-Identifier: BSD-2-Clause
// NTP reply validation and conversion to an Exchange (see reply_matcher.hpp).
#include "core/ntp/reply_matcher.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core {
namespace {

constexpr uint8_t kStratumUnsynchronized = 16;
// The most a server's precision may excuse Te < Tb by: 2^-10 s, a very coarse clock.
constexpr int kMaxOrderSlackLog2 = -10;

Unexpected<ReplyRejection> reject(RejectReason r) { return Unexpected{ReplyRejection{r, {}, {}}}; }

}  // namespace

std::string_view to_string(RejectReason r) {
  switch (r) {
    case RejectReason::Malformed:
      return "malformed packet";
    case RejectReason::NotServerMode:
      return "not a server-mode reply";
    case RejectReason::Spoofed:
      return "origin timestamp does not match the request";
    case RejectReason::KissOfDeath:
      return "kiss-o'-death";
    case RejectReason::Unsynchronized:
      return "server unsynchronized (LI 3 or stratum 16)";
    case RejectReason::BadStratum:
      return "reserved stratum (17-255)";
    case RejectReason::ZeroTimestamp:
      return "zero receive or transmit timestamp";
    case RejectReason::Replayed:
      return "duplicate of the previous reply";
    case RejectReason::BadTimestamps:
      return "timestamps out of order";
  }
  return "unknown rejection";
}

Result<Exchange, ReplyRejection> match_reply(std::span<const uint8_t> reply, const SentRequest& sent,
                                             uint64_t tf_counter, UtcTime pivot,
                                             std::optional<NtpTimestamp> previous_transmit) {
  const auto decoded = decode_ntp_packet(reply);
  if (!decoded) return Unexpected{ReplyRejection{RejectReason::Malformed, decoded.error(), {}}};
  const NtpPacket& p = decoded->header;

  if (p.mode != NtpMode::Server) return reject(RejectReason::NotServerMode);
  // The origin check comes first: a kiss or any other verdict from a packet that does not
  // answer our request could be forged off-path (RFC 5905 §7.4, CVE-2015-7704).
  // A zero origin never answers a request (nonces are non-zero), even if `sent` is zero.
  if (p.origin_ts.is_zero() || p.origin_ts.raw != sent.nonce) return reject(RejectReason::Spoofed);
  // A kiss usually also carries LI 3, so it is recognised before the sync checks.
  if (p.stratum == 0)
    return Unexpected{ReplyRejection{RejectReason::KissOfDeath, {}, kiss_from_refid(p.reference_id)}};
  if (p.leap == LeapIndicator::Unsynchronized || p.stratum == kStratumUnsynchronized) {
    return reject(RejectReason::Unsynchronized);
  }
  if (p.stratum > kStratumUnsynchronized) return reject(RejectReason::BadStratum);
  if (p.receive_ts.is_zero() || p.transmit_ts.is_zero()) return reject(RejectReason::ZeroTimestamp);
  if (previous_transmit && *previous_transmit == p.transmit_ts) return reject(RejectReason::Replayed);

  const UtcTime tb = from_ntp(p.receive_ts, pivot);
  const UtcTime te = from_ntp(p.transmit_ts, pivot);
  // A server may fill the bits below its precision with random ones (chrony does, to make its
  // transmit stamp unpredictable), so with a turnaround shorter than its precision Te can read
  // a little before Tb. That is ordered within what the server claims; beyond it, or beyond
  // 2^-10 s whatever precision a packet claims, the stamps are out of order.
  const Duration slack =
      Duration::from_seconds(std::ldexp(1.0, std::min<int>(p.precision, kMaxOrderSlackLog2)));
  if (te + slack < tb || tf_counter <= sent.ta_counter) return reject(RejectReason::BadTimestamps);

  Exchange x;
  x.ta = sent.ta_counter;
  x.tb = tb;
  x.te = te;
  if (te < tb) {
    // The turnaround was shorter than the fuzz: both stamps become their midpoint, which keeps
    // the offset and gives a zero turnaround, so every later stage can rely on Te >= Tb. (The
    // estimator used to refuse these: against chronyd under clknetsim, half of all replies.)
    x.tb = tb + (te - tb) / 2;
    x.te = x.tb;
  }
  x.tf = tf_counter;
  x.server.stratum = p.stratum;
  x.server.leap = p.leap;
  x.server.refid = p.reference_id;
  x.server.poll_log2 = p.poll;
  x.server.root_delay = from_ntp_short(p.root_delay);
  x.server.root_dispersion = from_ntp_short(p.root_dispersion);
  return x;
}

Result<Exchange, ReplyRejection> ReplyMatcher::match(std::span<const uint8_t> reply, const SentRequest& sent,
                                                     uint64_t tf_counter, UtcTime pivot) {
  auto r = match_reply(reply, sent, tf_counter, pivot, last_transmit_);
  // from_ntp is exact (32.32 fits in 64.64), so to_ntp gives back the wire value.
  if (r) last_transmit_ = to_ntp(r->te);
  return r;
}

}  // namespace ffclock::core
