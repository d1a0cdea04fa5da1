// SPDX-License-Identifier: BSD-2-Clause
// NTP codec cost per packet: header decode, header decode with an extension chain and a
// MAC, encode, and the full reply match (decode + checks + era resolution).
#include <benchmark/benchmark.h>

#include <vector>

#include "core/ntp/ntp_packet.hpp"
#include "core/ntp/reply_matcher.hpp"

using namespace ffclock;
using namespace ffclock::core;

namespace {

constexpr uint64_t kNonce = 0x9E3779B97F4A7C15;

NtpPacket reply() {
  NtpPacket p;
  p.mode = NtpMode::Server;
  p.stratum = 2;
  p.origin_ts = NtpTimestamp{kNonce};
  p.receive_ts = NtpTimestamp{0xEEAEAB09262E9813};
  p.transmit_ts = NtpTimestamp{0xEEAEAB0927FB5B26};
  return p;
}

std::vector<uint8_t> with_trailer() {
  const auto h = encode_ntp_packet(reply());
  std::vector<uint8_t> b(h.begin(), h.end());
  for (int i = 0; i < 4; ++i) {  // four 32-byte extension fields
    const uint8_t ef[4] = {0x01, static_cast<uint8_t>(i), 0x00, 0x20};
    b.insert(b.end(), ef, ef + 4);
    b.insert(b.end(), 28, 0xAB);
  }
  b.insert(b.end(), 24, 0x11);  // SHA-1 MAC
  return b;
}

void BM_NtpDecodeHeader(benchmark::State& state) {
  const auto bytes = encode_ntp_packet(reply());
  for (auto _ : state) {
    benchmark::DoNotOptimize(bytes.data());
    auto r = decode_ntp_packet(bytes);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_NtpDecodeHeader);

void BM_NtpDecodeWithExtensionsAndMac(benchmark::State& state) {
  const auto bytes = with_trailer();
  for (auto _ : state) {
    benchmark::DoNotOptimize(bytes.data());
    auto r = decode_ntp_packet(bytes);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_NtpDecodeWithExtensionsAndMac);

void BM_NtpEncode(benchmark::State& state) {
  NtpPacket p = reply();
  for (auto _ : state) {
    benchmark::DoNotOptimize(p);
    auto out = encode_ntp_packet(p);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_NtpEncode);

void BM_NtpMatchReply(benchmark::State& state) {
  const auto bytes = encode_ntp_packet(reply());
  const UtcTime pivot = UtcTime::from_unix(1'795'000'000);
  for (auto _ : state) {
    benchmark::DoNotOptimize(bytes.data());
    auto r = match_reply(bytes, SentRequest{kNonce, 100}, 200, pivot, std::nullopt);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_NtpMatchReply);

}  // namespace
