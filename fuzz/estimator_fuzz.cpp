// SPDX-License-Identifier: BSD-2-Clause
// Fuzzes the estimator with exchanges: a plausible NTP path (a counter off nominal by up to
// ±500 ppm, polls of 1 s to 36 h, queueing delays) that the input bends and breaks, with
// corrupt exchanges, server changes and steps, counter jumps, poll changes, resets and warm
// starts in between, as the engine makes them. After every call the estimator's outputs
// are usable: finite, non-negative bounds, a period in range, a time at the anchor that the
// page can carry; never a crash, a hang or undefined behaviour (float casts included under
// clang's UBSan).
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/estimator/estimator.hpp"
#include "core/exchange.hpp"
#include "ffclock/time.hpp"

namespace {
using namespace ffclock;
using namespace ffclock::core;

void check(bool ok) {
  if (!ok) std::abort();
}

void check_outputs(const Estimator& est, uint64_t counter_now) {
  const EstimatorDiagnostics& d = est.diagnostics();
  check(static_cast<uint8_t>(d.last_verdict) <= static_cast<uint8_t>(ExchangeVerdict::ServerChanged));
  check(std::isfinite(d.rate_bound) && d.rate_bound >= 0);
  check(std::isfinite(d.rate_envelope));
  check(est.fit_points_in_step());  // every stamp rewrite reached the offset fit's copy
  const auto p = est.params();
  if (!p) return;
  const long double period = p->period.to_seconds();
  const long double local = p->local_period.to_seconds();
  check(period > 0 && period < 1 && local > 0 && local < 1);
  check(p->time_maxerror >= Duration::zero() && p->time_esterror >= Duration::zero());
  check(std::isfinite(p->period_maxerror_rel) && p->period_maxerror_rel >= 0);
  check(std::isfinite(p->period_esterror_rel) && p->period_esterror_rel >= 0);
  // Within the years the page and its readers carry (the model starts in 2023).
  check(p->anchor_time > UtcTime::from_unix(0) && p->anchor_time < UtcTime::from_unix(int64_t{1} << 36));
  (void)p->time_at(counter_now);
  (void)p->maxerror_at(counter_now).to_nanoseconds();
  (void)p->elapsed(p->anchor_counter, counter_now);
}

struct Reader {
  const uint8_t* data;
  size_t size;
  uint8_t byte() {
    if (size == 0) return 0;
    --size;
    return *data++;
  }
  uint16_t u16() { return static_cast<uint16_t>(byte() | (byte() << 8)); }
  uint32_t u32() { return u16() | (static_cast<uint32_t>(u16()) << 16); }
  uint64_t u64() { return u32() | (static_cast<uint64_t>(u32()) << 32); }
};

}  // namespace

// Input: a 4-byte header (counter rate error, base RTT), then 8-byte records, each an
// exchange or an event.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  Reader in{data, size};
  const double ppm = static_cast<int16_t>(in.u16()) / 64.0;  // ±512 ppm
  const double base_rtt = 20e-6 + in.u16() * 1e-6;           // 20 µs to 65 ms
  const long double true_period = 1e-9L / (1 + ppm * 1e-6);
  EstimatorConfig config;
  Estimator est{config};
  const UtcTime start = UtcTime::from_unix(1'700'000'000);
  double t = 0;                              // true time since start (s)
  uint64_t counter0 = 1'000'000'000'000ull;  // counter at t = 0 (moves on a counter jump)
  double server_step = 0;                    // the server's error (s)
  int poll = 16;
  ServerInfo server;
  server.stratum = 2;
  server.refid = 0x0a000001;
  auto counter_at = [&](double at) {
    return counter0 + static_cast<uint64_t>(std::llround(static_cast<long double>(at) / true_period));
  };
  for (int records = 0; in.size >= 8 && records < 4096; ++records) {
    const uint8_t op = in.byte();
    const uint8_t a = in.byte();
    const uint16_t b = in.u16();
    const uint32_t c = in.u32();
    if (op < 200) {
      // A plausible exchange: the poll give or take up to 1/4, delays up and down with up
      // to 64 queueing excesses of base_rtt / 16 each (a = how many), split by b.
      t += poll * (0.75 + 0.5 * (c & 0xffff) / 65536.0);
      const double excess = base_rtt / 16 * (a & 63);
      const double share = b / 65535.0;
      const double up = base_rtt / 2 + excess * share, down = base_rtt / 2 + excess * (1 - share);
      const double hold = 1e-6 * (c >> 24);
      Exchange ex;
      ex.ta = counter_at(t);
      ex.tb = start + Duration::from_seconds(t + up + server_step);
      ex.te = ex.tb + Duration::from_seconds(hold);
      ex.tf = counter_at(t + up + hold + down);
      ex.server = server;
      est.add(ex);
    } else if (op < 215) {
      // A corrupt exchange: the fields from the input, around the current state.
      Exchange ex;
      ex.ta = counter_at(t) + (static_cast<uint64_t>(c) << (a & 31));
      ex.tf = ex.ta + b * (a >> 5);
      // Up to ±0.5 s off, or up to ±68 years.
      const Duration off = (a & 0x80) != 0
                               ? Duration::seconds(static_cast<int32_t>(c))
                               : Duration::from_fixed(static_cast<int128>(static_cast<int32_t>(c)) << 32);
      ex.tb = start + Duration::from_seconds(t) + off;
      ex.te = ex.tb - Duration::nanoseconds(b);
      ex.server = server;
      ex.server.leap = static_cast<LeapIndicator>(a & 3);
      ex.server.stratum = a;
      est.add(ex);
    } else if (op < 225) {
      // The server changes: stratum, refid, leap indicator.
      server.stratum = static_cast<uint8_t>(1 + a % 15);
      server.refid = c;
      server.leap = static_cast<LeapIndicator>(b & 3);
    } else if (op < 232) {
      // The server steps (its error changes by up to ±2 s).
      server_step = (static_cast<int32_t>(c) / 2147483648.0) * 2.0;
    } else if (op < 238) {
      // The counter jumps (a migration) and the engine resets, or it does not notice.
      counter0 += static_cast<uint64_t>(c) << (a % 24);
      if (b & 1) est.reset();
    } else if (op < 246) {
      poll = 1 << (a % 18);
      est.set_poll(poll);
    } else if (op < 250) {
      t += static_cast<double>(c);  // a long silence (holdover), up to 136 years: capped
      if (t > 1e9) t = 1e9;
    } else if (op < 253) {
      est.reset();
    } else {
      // A warm start from a state file: a period within the file's range near the truth.
      const long double rel = (static_cast<int32_t>(c) / 2147483648.0L) * 1e-3L;
      est.seed_period(true_period * (1 + rel), (b + 1) / 65536.0 * 1e-3);
    }
    check_outputs(est, counter_at(t));
  }
  return 0;
}
