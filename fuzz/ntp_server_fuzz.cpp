// SPDX-License-Identifier: BSD-2-Clause
// Fuzzes the NTP server's request path and the sync engine's reply path with arbitrary
// datagrams, checking properties, not just the absence of crashes:
//  - the server never answers with more bytes than it got, answers only client and
//    symmetric-active requests, and echoes the request's transmit timestamp as origin;
//  - every request is counted exactly once (replied, kissed or dropped by one reason);
//  - the engine given the same bytes as a reply to an outstanding request never publishes a
//    clock from a packet that does not carry its nonce.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "core/engine/sync_engine.hpp"
#include "core/ntp/ntp_packet.hpp"
#include "core/server/ntp_server.hpp"

using namespace ffclock;
using namespace ffclock::core;

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

void check_server(std::span<const uint8_t> bytes) {
  server::ServerPolicy pol;
  pol.limit.burst = 2;
  server::NtpServer s(pol);
  server::ServedClock clock;
  clock.synchronized = (bytes.empty() ? 0 : bytes[0]) & 1;
  clock.stratum = 3;
  const UtcTime rx = UtcTime::from_unix(1'800'000'000);
  for (int i = 0; i < 4; ++i) {
    const auto r = s.on_request(bytes, 0x7F000001, rx, i, clock);
    if (!r) continue;
    require(r->size() <= bytes.size());
    const auto q = decode_ntp_packet(bytes);
    require(q.has_value());
    require(q->header.mode == NtpMode::Client || q->header.mode == NtpMode::SymmetricActive);
    const auto p = decode_ntp_packet(*r);
    require(p.has_value());
    require(p->header.origin_ts == q->header.transmit_ts);
  }
  const server::ServerStats& st = s.stats();
  require(st.requests == 4);
  require(st.replies + st.dropped_malformed + st.dropped_mode + st.dropped_denied + st.dropped_rate_limited ==
          4);
}

void check_engine(std::span<const uint8_t> bytes) {
  engine::EngineConfig cfg;
  engine::SourceConfig src;
  src.name = "fuzz";
  src.minpoll = src.maxpoll = 0;
  cfg.sources = {src};
  cfg.burst = 1;
  cfg.start_hint = UtcTime::from_unix(1'800'000'000);
  engine::SyncEngine e(cfg);
  const engine::Actions a = e.start(1'000'000'000);
  require(a.sends.size() == 1);
  const uint64_t nonce = a.sends[0].nonce;
  e.on_sent(0, nonce, 1'000'000'000);
  const engine::Actions b = e.on_packet(0, bytes, 1'000'200'000);
  const auto p = decode_ntp_packet(bytes);
  const bool answers = p.has_value() && p->header.origin_ts.raw == nonce;
  if (!answers) require(e.source(0).exchanges == 0);
  (void)b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  check_server(bytes);
  check_engine(bytes);
  return 0;
}
