// SPDX-License-Identifier: BSD-2-Clause
// Reply matching: the Exchange built from an accepted reply, each rejection reason, kisses,
// replay state, a real chrony reply and era resolution across the 2036 rollover.
#include "core/ntp/reply_matcher.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/ntp/client_request.hpp"
#include "core/time/rfc3339.hpp"

using namespace ffclock;
using namespace ffclock::core;

namespace {

using Bytes = std::vector<uint8_t>;

constexpr uint64_t kNonce = 0x9E3779B97F4A7C15;
constexpr SentRequest kSent{kNonce, 1'000'000};
constexpr uint64_t kTf = 1'250'000;

UtcTime at(const char* s) {
  auto r = parse_rfc3339(s);
  EXPECT_TRUE(r.has_value()) << s;
  return r.has_value() ? r.value() : UtcTime{};
}

const UtcTime kPivot = at("2026-11-23T00:00:00Z");
const UtcTime kTb = at("2026-11-23T12:00:00.25Z");
const UtcTime kTe = at("2026-11-23T12:00:00.250125Z");

NtpPacket good_reply() {
  NtpPacket p;
  p.leap = LeapIndicator::None;
  p.version = 4;
  p.mode = NtpMode::Server;
  p.stratum = 2;
  p.poll = 7;
  p.precision = -23;
  p.root_delay = NtpShort{0x00000800};       // 1/32 s
  p.root_dispersion = NtpShort{0x00010000};  // 1 s
  p.reference_id = 0xC0000201;
  p.reference_ts = to_ntp(kTb - Duration::seconds(30));
  p.origin_ts = NtpTimestamp{kNonce};
  p.receive_ts = to_ntp(kTb);
  p.transmit_ts = to_ntp(kTe);
  return p;
}

Bytes wire(const NtpPacket& p) {
  const auto a = encode_ntp_packet(p);
  return Bytes(a.begin(), a.end());
}

ReplyRejection rejection(const NtpPacket& p, uint64_t tf = kTf) {
  const auto r = match_reply(wire(p), kSent, tf, kPivot, std::nullopt);
  EXPECT_FALSE(r.has_value());
  return r.has_value() ? ReplyRejection{} : r.error();
}

RejectReason reason(const NtpPacket& p, uint64_t tf = kTf) { return rejection(p, tf).reason; }

Bytes read_capture(const std::string& name) {
  std::ifstream in(std::string(FFCLOCK_SOURCE_DIR) + "/fuzz/corpus/ntp_packet/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

uint32_t ascii(const char (&s)[5]) {
  return (uint32_t{static_cast<uint8_t>(s[0])} << 24) | (uint32_t{static_cast<uint8_t>(s[1])} << 16) |
         (uint32_t{static_cast<uint8_t>(s[2])} << 8) | uint32_t{static_cast<uint8_t>(s[3])};
}

}  // namespace

TEST(ReplyMatcher, AcceptsAGoodReply) {
  const auto r = match_reply(wire(good_reply()), kSent, kTf, kPivot, std::nullopt);
  ASSERT_TRUE(r.has_value()) << to_string(r.error().reason);
  const Exchange& x = r.value();
  EXPECT_EQ(x.ta, kSent.ta_counter);
  EXPECT_EQ(x.tf, kTf);
  // The fixture times are whole microseconds, which 32.32 NTP cannot hold exactly: compare
  // to the nearest representable instant (within 2^-33 s).
  EXPECT_LE(abs(x.tb - kTb), Duration::nanoseconds(1));
  EXPECT_LE(abs(x.te - kTe), Duration::nanoseconds(1));
  EXPECT_EQ(to_ntp(x.tb), to_ntp(kTb));
  EXPECT_EQ(x.server.stratum, 2);
  EXPECT_EQ(x.server.leap, LeapIndicator::None);
  EXPECT_EQ(x.server.refid, 0xC0000201u);
  EXPECT_EQ(x.server.poll_log2, 7);
  EXPECT_EQ(x.server.root_delay, Duration::milliseconds(1000) / 32);
  EXPECT_EQ(x.server.root_dispersion, Duration::seconds(1));
}

TEST(ReplyMatcher, LeapWarningsAreAccepted) {
  for (LeapIndicator li : {LeapIndicator::InsertSecond, LeapIndicator::DeleteSecond}) {
    NtpPacket p = good_reply();
    p.leap = li;
    const auto r = match_reply(wire(p), kSent, kTf, kPivot, std::nullopt);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->server.leap, li);
  }
}

TEST(ReplyMatcher, AcceptsRealChronyReply) {
  const Bytes request = read_capture("chrony_v4_0_request");
  const Bytes reply = read_capture("chrony_v4_0_reply");
  const auto req = decode_ntp_packet(request);
  ASSERT_TRUE(req.has_value());
  const SentRequest sent{req->header.transmit_ts.raw, 500};
  const auto r = match_reply(reply, sent, 900, kPivot, std::nullopt);
  ASSERT_TRUE(r.has_value()) << to_string(r.error().reason);
  EXPECT_EQ(r->server.stratum, 10);
  EXPECT_EQ(r->tb.unix_seconds(), at("2026-11-23T12:07:37Z").unix_seconds());
  EXPECT_GE(r->te, r->tb);
  EXPECT_LT(r->te - r->tb, Duration::seconds(1));  // 7 ms in this capture (busy host)
  // With a MAC trailer (chrony, symmetric key) the reply matches all the same.
  const Bytes md5_req = read_capture("chrony_md5_request");
  const auto md5_sent = decode_ntp_packet(md5_req);
  ASSERT_TRUE(md5_sent.has_value());
  EXPECT_TRUE(match_reply(read_capture("chrony_md5_reply"), SentRequest{md5_sent->header.transmit_ts.raw, 1},
                          2, kPivot, std::nullopt)
                  .has_value());
}

TEST(ReplyMatcher, Malformed) {
  Bytes b = wire(good_reply());
  b.pop_back();
  const auto r = match_reply(b, kSent, kTf, kPivot, std::nullopt);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().reason, RejectReason::Malformed);
  EXPECT_EQ(r.error().decode_error, NtpDecodeError::TooShort);

  NtpPacket v2 = good_reply();
  v2.version = 2;
  EXPECT_EQ(rejection(v2), (ReplyRejection{RejectReason::Malformed, NtpDecodeError::BadVersion, {}}));
}

TEST(ReplyMatcher, NotServerMode) {
  for (NtpMode m :
       {NtpMode::SymmetricActive, NtpMode::SymmetricPassive, NtpMode::Client, NtpMode::Broadcast}) {
    NtpPacket p = good_reply();
    p.mode = m;
    EXPECT_EQ(reason(p), RejectReason::NotServerMode) << static_cast<int>(m);
  }
  // Our own request looped back is not a reply.
  const auto req = encode_client_request(kNonce, 6);
  const auto r = match_reply(req, kSent, kTf, kPivot, std::nullopt);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().reason, RejectReason::NotServerMode);
}

TEST(ReplyMatcher, Spoofed) {
  NtpPacket p = good_reply();
  p.origin_ts = NtpTimestamp{kNonce ^ 1};
  EXPECT_EQ(reason(p), RejectReason::Spoofed);
  p.origin_ts = NtpTimestamp{0};
  EXPECT_EQ(reason(p), RejectReason::Spoofed);
  // A zero origin is refused even when the caller (wrongly) sent a zero nonce.
  const auto r = match_reply(wire(p), SentRequest{0, 1}, 2, kPivot, std::nullopt);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().reason, RejectReason::Spoofed);
  // A kiss that does not answer our request is not believed: it is a spoof.
  NtpPacket kiss = good_reply();
  kiss.stratum = 0;
  kiss.reference_id = ascii("DENY");
  kiss.origin_ts = NtpTimestamp{kNonce + 1};
  EXPECT_EQ(reason(kiss), RejectReason::Spoofed);
}

TEST(ReplyMatcher, KissOfDeath) {
  struct Case {
    const char (&text)[5];
    KissCode code;
    KissAction action;
  };
  const Case cases[] = {
      {"RATE", KissCode::Rate, KissAction::ReducePollRate}, {"DENY", KissCode::Deny, KissAction::StopPolling},
      {"RSTR", KissCode::Rstr, KissAction::StopPolling},    {"INIT", KissCode::Init, KissAction::Discard},
      {"STEP", KissCode::Step, KissAction::Discard},        {"XYZ!", KissCode::Unknown, KissAction::Discard}};
  for (const Case& c : cases) {
    NtpPacket p = good_reply();
    p.stratum = 0;
    p.leap = LeapIndicator::Unsynchronized;  // typical of kisses; must not hide the kiss
    p.reference_id = ascii(c.text);
    p.receive_ts = NtpTimestamp{0};  // kisses need not carry timestamps
    p.transmit_ts = NtpTimestamp{0};
    const ReplyRejection rej = rejection(p);
    EXPECT_EQ(rej.reason, RejectReason::KissOfDeath) << c.text;
    EXPECT_EQ(rej.kiss.code, c.code) << c.text;
    EXPECT_EQ(rej.kiss.text(), std::string_view(c.text, 4));
    EXPECT_EQ(kiss_action(rej.kiss.code), c.action) << c.text;
  }
}

TEST(ReplyMatcher, Unsynchronized) {
  NtpPacket li3 = good_reply();
  li3.leap = LeapIndicator::Unsynchronized;
  EXPECT_EQ(reason(li3), RejectReason::Unsynchronized);
  NtpPacket s16 = good_reply();
  s16.stratum = 16;
  EXPECT_EQ(reason(s16), RejectReason::Unsynchronized);
}

TEST(ReplyMatcher, ReservedStratum) {
  for (uint8_t s : {17, 100, 255}) {
    NtpPacket p = good_reply();
    p.stratum = s;
    EXPECT_EQ(reason(p), RejectReason::BadStratum) << int{s};
  }
  for (uint8_t s : {1, 15}) {
    NtpPacket p = good_reply();
    p.stratum = s;
    EXPECT_TRUE(match_reply(wire(p), kSent, kTf, kPivot, std::nullopt).has_value()) << int{s};
  }
}

TEST(ReplyMatcher, ZeroTimestamp) {
  NtpPacket rx = good_reply();
  rx.receive_ts = NtpTimestamp{0};
  EXPECT_EQ(reason(rx), RejectReason::ZeroTimestamp);
  NtpPacket tx = good_reply();
  tx.transmit_ts = NtpTimestamp{0};
  EXPECT_EQ(reason(tx), RejectReason::ZeroTimestamp);
}

TEST(ReplyMatcher, BadTimestamps) {
  NtpPacket p = good_reply();
  std::swap(p.receive_ts, p.transmit_ts);  // Te < Tb
  EXPECT_EQ(reason(p), RejectReason::BadTimestamps);
  EXPECT_EQ(reason(good_reply(), kSent.ta_counter), RejectReason::BadTimestamps);      // Tf == Ta
  EXPECT_EQ(reason(good_reply(), kSent.ta_counter - 1), RejectReason::BadTimestamps);  // Tf < Ta
  // Te before Tb by less than the server's precision: random bits below the precision (as
  // chrony writes them) with a turnaround shorter than it. Ordered within what it claims.
  NtpPacket fuzzed = good_reply();
  fuzzed.precision = -20;  // ~954 ns
  fuzzed.transmit_ts = to_ntp(kTb - Duration::nanoseconds(900));
  const auto x = match_reply(wire(fuzzed), kSent, kTf, kPivot, std::nullopt);
  ASSERT_TRUE(x.has_value());
  // Both stamps become their midpoint: the offset is kept and the turnaround is zero, so the
  // estimator (which refuses Te < Tb) takes the exchange.
  EXPECT_EQ(x->tb, x->te);
  EXPECT_LE(abs(x->tb - (kTb - Duration::nanoseconds(450))), Duration::nanoseconds(1));
  fuzzed.transmit_ts = to_ntp(kTb - Duration::nanoseconds(1000));
  EXPECT_EQ(reason(fuzzed), RejectReason::BadTimestamps);
  // A claimed precision of a second excuses no more than 2^-10 s.
  fuzzed.precision = 0;
  fuzzed.transmit_ts = to_ntp(kTb - Duration::microseconds(900));
  EXPECT_TRUE(match_reply(wire(fuzzed), kSent, kTf, kPivot, std::nullopt).has_value());
  fuzzed.transmit_ts = to_ntp(kTb - Duration::microseconds(1000));
  EXPECT_EQ(reason(fuzzed), RejectReason::BadTimestamps);
  // Te == Tb (a coarse server clock) is fine.
  NtpPacket same = good_reply();
  same.transmit_ts = same.receive_ts;
  EXPECT_TRUE(match_reply(wire(same), kSent, kTf, kPivot, std::nullopt).has_value());
}

TEST(ReplyMatcher, ReplayOfTheLastAcceptedReply) {
  ReplyMatcher m;
  const Bytes reply = wire(good_reply());
  EXPECT_FALSE(m.last_accepted_transmit().has_value());
  ASSERT_TRUE(m.match(reply, kSent, kTf, kPivot).has_value());
  EXPECT_EQ(m.last_accepted_transmit(), good_reply().transmit_ts);
  const auto dup = m.match(reply, kSent, kTf + 10, kPivot);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().reason, RejectReason::Replayed);

  // The next exchange, with a new nonce and new server times, is accepted; a rejected reply
  // does not change the replay state.
  NtpPacket next = good_reply();
  next.origin_ts = NtpTimestamp{kNonce + 7};
  next.receive_ts = to_ntp(kTb + Duration::seconds(64));
  next.transmit_ts = to_ntp(kTe + Duration::seconds(64));
  const SentRequest sent2{kNonce + 7, 5'000'000};
  NtpPacket spoof = next;
  spoof.origin_ts = NtpTimestamp{1};
  EXPECT_FALSE(m.match(wire(spoof), sent2, 5'000'100, kPivot).has_value());
  EXPECT_EQ(m.last_accepted_transmit(), good_reply().transmit_ts);
  ASSERT_TRUE(m.match(wire(next), sent2, 5'000'100, kPivot).has_value());
  EXPECT_EQ(m.last_accepted_transmit(), next.transmit_ts);
}

TEST(ReplyMatcher, RolloverEra2036) {
  // NTP era 0 ends at 2036-02-07T06:28:16Z. A server answering just after it sends small
  // seconds; a pivot before the rollover must still place them in 2036, not 1900.
  const UtcTime tb = at("2036-02-07T06:28:17.5Z");
  const UtcTime te = at("2036-02-07T06:28:17.75Z");
  NtpPacket p = good_reply();
  p.receive_ts = to_ntp(tb);
  p.transmit_ts = to_ntp(te);
  EXPECT_EQ(p.receive_ts.seconds(), 1u);  // wrapped on the wire
  for (const char* pivot : {"2036-02-07T06:00:00Z", "2036-02-07T07:00:00Z", "2030-01-01T00:00:00Z"}) {
    const auto r = match_reply(wire(p), kSent, kTf, at(pivot), std::nullopt);
    ASSERT_TRUE(r.has_value()) << pivot;
    EXPECT_EQ(r->tb, tb) << pivot;
    EXPECT_EQ(r->te, te) << pivot;
  }
  // Straddling the rollover: Tb in era 0, Te in era 1; Te >= Tb holds after resolution.
  NtpPacket s = good_reply();
  const UtcTime tb0 = at("2036-02-07T06:28:15.875Z");
  const UtcTime te1 = at("2036-02-07T06:28:16.125Z");
  s.receive_ts = to_ntp(tb0);
  s.transmit_ts = to_ntp(te1);
  EXPECT_GT(s.receive_ts.raw, s.transmit_ts.raw);  // raw values are out of order
  const auto r = match_reply(wire(s), kSent, kTf, at("2036-02-07T06:00:00Z"), std::nullopt);
  ASSERT_TRUE(r.has_value()) << to_string(r.error().reason);
  EXPECT_EQ(r->tb, tb0);
  EXPECT_EQ(r->te, te1);
  EXPECT_EQ(r->te - r->tb, Duration::milliseconds(250));
}

TEST(ReplyMatcher, ReasonsHaveDistinctDescriptions) {
  const RejectReason all[] = {
      RejectReason::Malformed,     RejectReason::NotServerMode,  RejectReason::Spoofed,
      RejectReason::KissOfDeath,   RejectReason::Unsynchronized, RejectReason::BadStratum,
      RejectReason::ZeroTimestamp, RejectReason::Replayed,       RejectReason::BadTimestamps};
  for (auto a : all) {
    for (auto b : all) {
      if (a != b) {
        EXPECT_NE(to_string(a), to_string(b));
      }
    }
  }
}
