// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A small deterministic world for sync-engine tests: true time, a counter with a given skew,
// NTP servers with their own offsets, delays, leap indicators and misbehaviour, and an event
// loop that performs the engine's Actions the way ffclockd does (send, on_sent, reply,
// timer). Every publication is recorded with the true TAI at its anchor.

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/sync_engine.hpp"
#include "core/ntp/ntp_packet.hpp"
#include "core/time/ntp_time.hpp"
#include "ffclock/page.h"

namespace ffclock::core::engine::test {

struct ServerSpec {
  double offset_s = 0;        // server clock − true UTC
  double one_way_s = 100e-6;  // each direction
  bool answers = true;
  uint8_t stratum = 1;
  LeapIndicator li = LeapIndicator::None;
  std::optional<std::string> kiss;  // answer with this kiss code instead
  bool wrong_origin = false;        // answer with a forged origin
  // chrony's way: random bits below the precision in the transmit stamp. With a turnaround
  // of zero (as under clknetsim), Te then reads up to this much before Tb. 0: a plain 10 us
  // turnaround.
  double transmit_fuzz_s = 0;
};

// The host's vmclock page as the world publishes it: true time (plus an error) at a counter
// value the host refreshes every `update_every_s` (0: at every read).
struct HostSpec {
  uint8_t status = FFCLOCK_STATUS_SYNCHRONIZED;
  uint8_t counter_id = FFCLOCK_COUNTER_X86_TSC;
  uint8_t time_type = FFCLOCK_TIME_UTC;
  double offset_s = 0;           // host time − true time at its anchor
  double period_error_ppm = 0;   // host period − true period, relative
  double maxerror_s = 50e-6;     // stated bound at the anchor
  double esterror_s = 10e-6;     // stated estimate (negative: not stated)
  double rate_maxerror_ppm = 1;  // stated period bound (negative: not stated)
  double update_every_s = 0;
  uint64_t extra_flags = 0;
};

struct Published {
  double t = 0;  // world time of the publication
  PageInput input;
};

class World {
 public:
  static constexpr uint64_t kHz = 1'000'000'000;
  static constexpr uint64_t kCounter0 = 5'000'000'000'000ULL;

  World(std::vector<ServerSpec> specs, EngineConfig cfg, TaiTime start_tai)
      : servers(std::move(specs)),
        start_tai_(start_tai),
        engine_(make(std::move(cfg), start_tai, this->servers.size())) {}

  std::vector<ServerSpec> servers;
  double skew_ppm = 0;  // counter rate error
  std::vector<Published> publications;
  std::vector<StepNotice> steps;
  std::vector<LogEvent> logs;
  std::vector<std::size_t> sends_per_source = std::vector<std::size_t>(servers.size(), 0);
  std::vector<std::size_t> resolves;
  // TAI − UTC as the servers apply it: an optional leap (UTC seconds of the leap midnight).
  int32_t tai_minus_utc = 37;
  std::optional<std::pair<int64_t, int8_t>> leap;  // {leap_utc_s, delta}
  // Called before each event at its time (tests change servers mid-run here).
  std::function<void(double)> on_time;
  // The system source: kernel clock offset from truth, synchronized flag, maxerror.
  double kernel_offset_s = 0;
  bool kernel_synced = false;
  double kernel_maxerror_s = 16;
  // The host's vmclock page (vmclock sources): nullopt makes every read fail.
  std::optional<HostSpec> host;
  std::size_t vmclock_reads = 0;

  SyncEngine& engine() { return engine_; }
  double now() const { return t_; }
  uint64_t counter_at(double t) const {
    return kCounter0 +
           static_cast<uint64_t>(std::llround(t * static_cast<double>(kHz) * (1 + skew_ppm * 1e-6)));
  }
  TaiTime true_tai(double t) const {
    return start_tai_ + Duration::from_seconds(static_cast<long double>(t));
  }
  // Server-side UTC at true time t (POSIX: an inserted second repeats 23:59:59).
  UtcTime true_utc(double t) const {
    const TaiTime tai = true_tai(t);
    int32_t off = tai_minus_utc;
    if (leap) {
      // The leap takes effect at TAI L + min(offset before, offset after), as in the table.
      const int32_t after = tai_minus_utc + leap->second;
      const TaiTime switch_at = TaiTime::from_unix(leap->first + std::min(tai_minus_utc, after));
      if (tai >= switch_at) off = after;
    }
    return to_utc(tai, off);
  }

  void start() { perform(engine_.start(counter_at(0)), 0); }

  void run_until(double t_end) {
    while (!events_.empty() && events_.begin()->first <= t_end) {
      auto it = events_.begin();
      const double t = it->first;
      Event ev = it->second;
      events_.erase(it);
      t_ = t;
      if (on_time) on_time(t);
      if (ev.kind == Event::Timer) {
        if (ev.generation != timer_generation_) continue;
        perform(engine_.on_timer(counter_at(t)), t);
      } else {
        perform(engine_.on_packet(ev.source, ev.bytes, counter_at(t)), t);
      }
    }
    t_ = t_end;
  }

  void disrupt(double jump_s) {
    jump_ += jump_s;
    perform(engine_.on_disruption(counter_at(t_), DisruptionReason::HostMarker), t_);
  }

  // Published TAI at world time t from the latest publication at or before it.
  std::optional<TaiTime> published_tai(double t) const {
    const Published* p = latest_at(t);
    if (!p) return std::nullopt;
    const ClockParams& c = p->input.params;
    return to_tai(c.time_at(counter_at(t)), p->input.tai_minus_utc);
  }
  std::optional<double> error_s(double t) const {
    auto p = published_tai(t);
    if (!p) return std::nullopt;
    return (*p - true_tai(t)).to_seconds();
  }
  const Published* latest_at(double t) const {
    const Published* best = nullptr;
    for (const Published& p : publications) {
      if (p.t <= t) best = &p;
    }
    return best;
  }

 private:
  struct Event {
    enum Kind { Timer, Packet } kind = Timer;
    uint64_t generation = 0;
    std::size_t source = 0;
    std::vector<uint8_t> bytes;
  };

  static SyncEngine make(EngineConfig cfg, TaiTime start_tai, std::size_t n) {
    cfg.nominal_hz = kHz;
    cfg.start_hint = to_utc(start_tai, 37);
    if (cfg.sources.empty()) {
      for (std::size_t i = 0; i < n; ++i) {
        SourceConfig s;
        s.name = "server" + std::to_string(i);
        s.minpoll = 4;
        s.maxpoll = 4;
        cfg.sources.push_back(s);
      }
    }
    return SyncEngine(std::move(cfg));
  }

  void perform(const Actions& a, double t) {
    for (const LogEvent& l : a.logs) logs.push_back(l);
    if (a.publish) publications.push_back({t, *a.publish});
    if (a.step) steps.push_back(*a.step);
    for (std::size_t r : a.resolve) resolves.push_back(r);
    for (const SendRequest& s : a.sends) send(s, t);
    if (a.sample_system) {
      SystemSample smp;
      smp.counter_before = counter_at(t);
      smp.realtime = true_utc(t + 20e-9) + Duration::from_seconds(kernel_offset_s);
      smp.counter_after = counter_at(t + 40e-9);
      smp.kernel_maxerror = Duration::from_seconds(kernel_maxerror_s);
      smp.kernel_synchronized = kernel_synced;
      perform(engine_.on_system_sample(smp), t);
    }
    if (a.sample_vmclock) {
      ++vmclock_reads;
      if (host)
        perform(engine_.on_vmclock_sample(vmclock_sample(t)), t);
      else
        perform(engine_.on_vmclock_unreadable(counter_at(t), "no page"), t);
    }
    ++timer_generation_;
    events_.emplace(t + a.next_timer.to_seconds(), Event{Event::Timer, timer_generation_, 0, {}});
  }

  // What the host's page says when read at world time t.
  VmclockSample vmclock_sample(double t) const {
    const HostSpec& h = *host;
    const double at = h.update_every_s > 0 ? std::floor(t / h.update_every_s) * h.update_every_s : t;
    VmclockSample s;
    s.read_counter = counter_at(t);
    s.clock_status = h.status;
    s.counter_id = h.counter_id;
    s.time_type = h.time_type;
    s.counter_value = counter_at(at);
    const long double true_period = 1.0L / (static_cast<long double>(kHz) * (1 + skew_ppm * 1e-6L));
    s.period = CounterPeriod::from_seconds(true_period * (1 + h.period_error_ppm * 1e-6L));
    s.flags = FFCLOCK_FLAG_TIME_MAXERROR_VALID | h.extra_flags;
    const Duration off = Duration::from_seconds(h.offset_s);
    const int128 time =
        h.time_type == FFCLOCK_TIME_TAI ? (true_tai(at) + off).fixed() : (true_utc(at) + off).fixed();
    s.time_sec = static_cast<uint64_t>(time >> 64);
    s.time_frac = static_cast<uint64_t>(time);
    s.time_maxerror_ns = static_cast<uint64_t>(std::llround(h.maxerror_s * 1e9));
    if (h.esterror_s >= 0) {
      s.flags |= FFCLOCK_FLAG_TIME_ESTERROR_VALID;
      s.time_esterror_ns = static_cast<uint64_t>(std::llround(h.esterror_s * 1e9));
    }
    if (h.rate_maxerror_ppm >= 0) {
      s.flags |= FFCLOCK_FLAG_PERIOD_MAXERROR_VALID;
      s.period_maxerror_rate_frac = static_cast<uint64_t>(
          std::llround(static_cast<long double>(s.period.frac) * h.rate_maxerror_ppm * 1e-6L));
    }
    return s;
  }

  void send(const SendRequest& s, double t) {
    ++sends_per_source[s.source];
    engine_.on_sent(s.source, s.nonce, counter_at(t));
    const ServerSpec& sv = servers[s.source];
    if (!sv.answers) return;
    const double t_rx = t + sv.one_way_s;
    const double t_tx = sv.transmit_fuzz_s > 0 ? t_rx : t_rx + 10e-6;
    NtpPacket p;
    p.precision = -20;  // 2^-20 s, about 954 ns
    p.leap = sv.li;
    p.mode = NtpMode::Server;
    p.stratum = sv.stratum;
    p.reference_id = 0x47505300;
    if (sv.kiss) {
      p.stratum = 0;
      p.reference_id = 0;
      for (std::size_t k = 0; k < 4 && k < sv.kiss->size(); ++k) {
        p.reference_id |= static_cast<uint32_t>(static_cast<uint8_t>((*sv.kiss)[k])) << (24 - 8 * k);
      }
    }
    p.origin_ts = NtpTimestamp{sv.wrong_origin ? s.nonce ^ 1 : s.nonce};
    p.receive_ts = to_ntp(true_utc(t_rx) + Duration::from_seconds(sv.offset_s));
    p.transmit_ts = to_ntp(true_utc(t_tx) + Duration::from_seconds(sv.offset_s));
    if (sv.transmit_fuzz_s > 0) {
      // Deterministic stand-in for the random bits: 0, 1/7, ..., 6/7 of the fuzz, in turn.
      const double below = sv.transmit_fuzz_s * static_cast<double>(sends_per_source[s.source] % 7) / 7.0;
      p.transmit_ts = to_ntp(true_utc(t_tx) + Duration::from_seconds(sv.offset_s - below));
    }
    p.reference_ts = p.receive_ts;
    const auto wire = encode_ntp_packet(p);
    events_.emplace(t_tx + sv.one_way_s, Event{Event::Packet, 0, s.source, {wire.begin(), wire.end()}});
  }

  TaiTime start_tai_;
  SyncEngine engine_;
  std::multimap<double, Event> events_;
  uint64_t timer_generation_ = 0;
  double t_ = 0;
  double jump_ = 0;
};

}  // namespace ffclock::core::engine::test
