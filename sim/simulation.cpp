// SPDX-License-Identifier: BSD-2-Clause
#include "sim/simulation.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <memory>
#include <queue>
#include <string>

#include "core/engine/disruption_detector.hpp"
#include "core/engine/sync_engine.hpp"
#include "core/leap/leap_table.hpp"
#include "sim/evaluate.hpp"
#include "sim/network.hpp"
#include "sim/oscillator.hpp"
#include "sim/server.hpp"

namespace ffclock::sim {

namespace {

enum class ActionKind : uint8_t { Timer, Reply, Event, Resume };

struct Action {
  SimTime t = 0;
  uint64_t seq = 0;  // FIFO among equal times
  ActionKind kind = ActionKind::Timer;
  uint64_t epoch = 0;  // timers: generation; replies: reply epoch
  size_t index = 0;    // event index, or the replying server
  std::array<uint8_t, 48> bytes{};
  friend bool operator>(const Action& a, const Action& b) { return a.t != b.t ? a.t > b.t : a.seq > b.seq; }
};

Action make(SimTime t, ActionKind kind, uint64_t epoch, size_t index = 0) {
  Action a;
  a.t = t;
  a.kind = kind;
  a.epoch = epoch;
  a.index = index;
  return a;
}

// Server 0's clock is the caller's: the engine owns its source clocks, so it gets a
// forwarding handle that also counts the estimator's verdicts.
class BorrowedClock final : public ClockUnderTest {
 public:
  BorrowedClock(ClockUnderTest& inner, VerdictCounts& counts) : inner_(inner), counts_(counts) {}
  core::ExchangeVerdict add(const core::Exchange& e) override {
    const core::ExchangeVerdict v = inner_.add(e);
    switch (v) {
      case core::ExchangeVerdict::Used:
        ++counts_.used;
        break;
      case core::ExchangeVerdict::UsedWarmUp:
        ++counts_.warmup;
        break;
      case core::ExchangeVerdict::RejectedInsane:
        ++counts_.insane;
        break;
      case core::ExchangeVerdict::RejectedServer:
        ++counts_.server;
        break;
      case core::ExchangeVerdict::KeptOldPeriod:
        ++counts_.kept_period;
        break;
      case core::ExchangeVerdict::KeptOldOffset:
        ++counts_.kept_offset;
        break;
      case core::ExchangeVerdict::ServerChanged:
        ++counts_.server_changed;
        break;
    }
    return v;
  }
  std::optional<core::ClockParams> params() const override { return inner_.params(); }
  std::optional<core::ClockParams> params_at(uint64_t counter, double horizon_s) const override {
    return inner_.params_at(counter, horizon_s);
  }
  void set_poll(int poll_s) override { inner_.set_poll(poll_s); }
  void reset() override { inner_.reset(); }
  void seed_period(long double period_s, double maxerror_rel) override {
    inner_.seed_period(period_s, maxerror_rel);
  }

 private:
  ClockUnderTest& inner_;
  VerdictCounts& counts_;
};

int poll_log2(int poll_s) { return static_cast<int>(std::lround(std::log2(std::max(1, poll_s)))); }

// The leap-seconds file the scenario's file-announced leaps would be in: the 2017 entry and
// each of them (entries must be consecutive offsets).
std::optional<core::LeapTable> leap_table_for(const Scenario& sc, const TrueTime& truth) {
  std::string text = "#$ 3913697024\n#@ 4291747200\n3692217600 37\n";  // expires 2036
  int32_t off = 37;
  bool any = false;
  for (const Event& e : sc.events) {
    if (e.kind != EventKind::Leap || e.announce == LeapAnnounce::Indicator) continue;
    off += e.value >= 0 ? 1 : -1;
    // The leap midnight in UTC: true UTC just before the event, rounded up to the second.
    const int64_t leap_s = truth.utc(static_cast<SimTime>(e.at_s) - 0.5L).unix_seconds() + 1;
    text += std::to_string(leap_s + core::kNtpToUnixSeconds) + " " + std::to_string(off) + "\n";
    any = true;
  }
  if (!any) return std::nullopt;
  auto t = core::LeapTable::parse(text, core::LeapParseOptions{.require_hash = false});
  if (!t) return std::nullopt;
  return std::move(t).value();
}

// Counters of the last day of seconds, for the difference clock.
class CounterHistory {
 public:
  static constexpr int64_t kSize = 131072;  // power of two > 86400 + 1
  CounterHistory() : ring_(kSize, 0) {}
  void put(int64_t s, uint64_t c) { ring_[static_cast<size_t>(s & (kSize - 1))] = c; }
  uint64_t get(int64_t s) const { return ring_[static_cast<size_t>(s & (kSize - 1))]; }

 private:
  std::vector<uint64_t> ring_;
};

class Run {
 public:
  Run(const Scenario& sc, uint64_t seed, ClockUnderTest& clock, const RunOptions& opt)
      : sc_(sc),
        truth_(sc.client.start, sc.events),
        osc_(sc.oscillator, sc.events, seed),
        engine_(engine_config(sc, seed, clock)),
        warmup_(static_cast<int64_t>(std::llround(sc.metrics.warmup_s))),
        end_(warmup_ + static_cast<int64_t>(std::llround(sc.metrics.duration_s))),
        threshold_s_(sc.metrics.convergence_threshold_us * 1e-6),
        trace_(opt.trace) {
    result_.seed = seed;
    for (size_t i = 0; i < sc.server_count(); ++i) {
      servers_.push_back(std::make_unique<SimServer>(sc, seed, i, truth_));
    }
    const int64_t measured = end_ - warmup_;
    const int points = std::max(1, opt.series_points);
    bucket_s_ = std::max<int64_t>(1, (measured + points - 1) / points);
    segments_.resize(sc.events.size() + 1);
    for (size_t i = 0; i < sc.events.size(); ++i) {
      push(make(sc.events[i].at_s, ActionKind::Event, 0, i));
    }
  }

  RunResult run() {
    const auto wall0 = std::chrono::steady_clock::now();
    const std::clock_t cpu0 = std::clock();
    if (auto table = leap_table_for(sc_, truth_)) perform(engine_.on_leap_table(*table, osc_.counter(0)), 0);
    perform(engine_.start(osc_.counter(0)), 0);
    for (int64_t s = 0; s < end_; ++s) {
      while (!actions_.empty() && actions_.top().t <= static_cast<SimTime>(s)) {
        Action a = actions_.top();
        actions_.pop();
        handle(a);
      }
      watch(static_cast<SimTime>(s));
      sample(s);
    }
    flush_bucket();
    result_.simulated_s = static_cast<double>(end_);
    result_.convergence_s =
        last_bad_ + 1 >= end_ ? std::nullopt : std::optional<double>(static_cast<double>(last_bad_ + 1));
    for (size_t i = 0; i < sc_.events.size(); ++i) {
      const Segment& seg = segments_[i + 1];
      EventOutcome out;
      out.event = sc_.events[i];
      out.worst_abs_error_us = seg.worst_abs * 1e6;
      out.unavailable_s = seg.unavailable;
      // Recovery counts from the end of the fault (its start for instantaneous events).
      const Event& e = sc_.events[i];
      const auto end = static_cast<int64_t>(std::ceil(e.at_s + std::max(0.0, e.duration_s)));
      if (seg.last_bad < 0)
        out.recovery_s = 0.0;
      else if (!seg.last_good_after_bad)
        out.recovery_s = std::nullopt;
      else
        out.recovery_s = static_cast<double>(std::max<int64_t>(0, seg.last_bad + 1 - end));
      result_.events.push_back(out);
    }
    for (size_t i = 0; i < engine_.source_count(); ++i) {
      const core::engine::SourceSnapshot snap = engine_.source(i);
      result_.sources.push_back({core::engine::to_string(snap.state), snap.exchanges, snap.rejected});
    }
    result_.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    result_.cpu_s = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    return std::move(result_);
  }

 private:
  struct Segment {
    int64_t last_bad = -1;
    bool last_good_after_bad = true;
    double worst_abs = 0;
    uint64_t unavailable = 0;
  };

  // One server of the scenario with its two paths.
  struct SimServer {
    SimServer(const Scenario& sc, uint64_t seed, size_t index, const TrueTime& truth)
        : server(sc, index, truth), net(sc, seed, index) {}
    Server server;
    Network net;
  };

  core::engine::EngineConfig engine_config(const Scenario& sc, uint64_t seed, ClockUnderTest& clock) {
    core::engine::EngineConfig c;
    for (size_t i = 0; i < sc.server_count(); ++i) {
      core::engine::SourceConfig s;
      s.name = "192.0.2." + std::to_string(i + 1) + ":123";
      s.minpoll = s.maxpoll = poll_log2(sc.client.poll_s);
      if (sc.client.maxpoll_s > 0) s.maxpoll = poll_log2(sc.client.maxpoll_s);
      s.iburst = sc.client.burst > 0;
      c.sources.push_back(s);
    }
    c.nominal_hz = static_cast<uint64_t>(std::llround(sc.oscillator.nominal_hz));
    c.counter_id = FFCLOCK_COUNTER_X86_TSC;
    c.estimator = sc.estimator;
    c.estimator.burst = std::max(1, sc.client.burst);
    c.start_hint = sc.client.start + Duration::from_seconds(sc.client.initial_offset_s);
    c.rng_seed = seed;
    // The scenario fixes the poll grid (as the reference figures were measured); jitter only
    // spreads many clients' load on a server and would make figures depend on its draws.
    c.poll_jitter = 0;
    c.burst = std::max(0, sc.client.burst);
    c.burst_spacing = Duration::from_seconds(sc.client.burst_spacing_s);
    if (sc.client.warm_start_error_ppm) {
      // What ffclockd's state file hands the engine: a saved period, off by the given error.
      const long double saved = osc_.true_period(0) * (1.0L + *sc.client.warm_start_error_ppm * 1e-6L);
      c.warm_start = core::engine::WarmStart{saved, sc.client.warm_start_bound_ppm * 1e-6};
    }
    c.make_clock = [&clock, this](size_t index,
                                  const core::EstimatorConfig& e) -> std::unique_ptr<ClockUnderTest> {
      if (index == 0) return std::make_unique<BorrowedClock>(clock, result_.verdicts);
      return std::make_unique<core::engine::EstimatorSourceClock>(e);
    };
    return c;
  }

  void push(Action a) {
    a.seq = seq_++;
    actions_.push(std::move(a));
  }

  bool suspended(SimTime t) const { return t >= suspend_start_ && t < suspend_end_; }

  void handle(const Action& a) {
    switch (a.kind) {
      case ActionKind::Timer:
        if (a.epoch == timer_generation_ && !suspended(a.t))
          perform(engine_.on_timer(osc_.counter(a.t)), a.t);
        break;
      case ActionKind::Reply:
        if (a.epoch == reply_epoch_ && !suspended(a.t)) {
          ++result_.exchanges;
          perform(engine_.on_packet(a.index, a.bytes, osc_.counter(a.t)), a.t);
        }
        break;
      case ActionKind::Event:
        on_event(a.t, sc_.events[a.index]);
        break;
      case ActionKind::Resume:
        on_resume(a.t, sc_.events[a.index]);
        break;
    }
  }

  // What ffclockd does with the engine's actions, against the models.
  void perform(const core::engine::Actions& a, SimTime t) {
    for (const core::engine::SendRequest& req : a.sends) send(req, t);
    if (a.step) ++result_.steps;
    if (a.publish) {
      if (a.step && a.step->reason != core::engine::StepReason::Leap) {
        // The announcement of a disruption or re-anchor: what readers see is "unreliable".
        clock_view_.withdraw();
      } else if (a.publish->unreliable) {
        // Published UNRELIABLE (re-locking, or every source disputes the clock): the page is
        // written, but a reader is told not to trust it, so it counts as unavailable.
        (void)clock_view_.publish(*a.publish, osc_.counter(t));
        clock_view_.withdraw();
      } else {
        const Duration step = clock_view_.publish(*a.publish, osc_.counter(t));
        published_period_bound_ = a.publish->params.period_maxerror_rel;
        if (t >= static_cast<SimTime>(warmup_)) result_.metrics.add_publication_step(step.to_seconds());
      }
    }
    ++timer_generation_;
    push(make(t + static_cast<SimTime>(a.next_timer.to_seconds_ld()), ActionKind::Timer, timer_generation_));
  }

  void send(const core::engine::SendRequest& req, SimTime t) {
    ++result_.requests;
    engine_.on_sent(req.source, req.nonce, osc_.counter(t));
    SimServer& sv = *servers_[req.source];
    const auto fwd = sv.net.forward.delay(t);
    const auto back = sv.net.backward.delay(t);  // drawn for every request: fixed draw order
    if (!fwd) return;
    const SimTime at_server = t + *fwd;
    auto reply = sv.server.answer(at_server);
    if (!reply || !back) return;
    reply->info.poll_log2 = static_cast<int8_t>(poll_log2(sc_.client.poll_s));
    Action r = make(at_server + sv.server.processing() + *back, ActionKind::Reply, reply_epoch_, req.source);
    r.bytes = Server::encode(*reply, req.nonce);
    push(std::move(r));
  }

  // The daemon detected a disruption: the engine forgets the calibration and re-acquires.
  void disrupt(SimTime t, core::engine::DisruptionReason why) {
    detector_.restart();
    ++reply_epoch_;  // exchanges in flight straddle the disruption
    diff_valid_from_ = static_cast<int64_t>(std::ceil(t));
    perform(engine_.on_disruption(osc_.counter(t), why), t);
  }

  void on_event(SimTime t, const Event& e) {
    switch (e.kind) {
      case EventKind::PollChange:
        for (size_t i = 0; i < engine_.source_count(); ++i) {
          perform(engine_.on_poll_range(i, poll_log2(e.poll_s), poll_log2(e.poll_s), osc_.counter(t)), t);
        }
        break;
      case EventKind::Migration:
        // Signalled: the vmclock marker changed, the daemon sees it at once. Unsignalled: only
        // the counter's jump against MONOTONIC can give it away (watch()); a frequency step
        // alone is the estimator's to find.
        if (e.signalled) disrupt(t, core::engine::DisruptionReason::HostMarker);
        break;
      case EventKind::Suspend:
        suspend_start_ = t;
        suspend_end_ = t + e.duration_s;
        ++reply_epoch_;
        ++timer_generation_;  // nothing runs while suspended
        push(make(suspend_end_, ActionKind::Resume, 0, static_cast<size_t>(&e - sc_.events.data())));
        break;
      default:
        break;  // network, server and oscillator events act through their models
    }
  }

  // The guest kernel's clocks across a suspend. reset: a kernel suspend, MONOTONIC stood
  // still while BOOTTIME ran, which the daemon's watch detects. Otherwise a pause nobody sees:
  // both kernel clocks kept pace with the counter (stopped with it, or ran with it).
  void on_resume(SimTime t, const Event& e) {
    if (e.counter == SuspendCounter::Stops) diff_valid_from_ = static_cast<int64_t>(std::ceil(t));
    if (e.reset) {
      monotonic_lost_s_ += e.duration_s;
    } else if (e.counter == SuspendCounter::Stops) {
      monotonic_lost_s_ += e.duration_s;
      boottime_lost_s_ += e.duration_s;
    }
    perform(engine_.on_timer(osc_.counter(t)), t);
  }

  // ffclockd's lifecycle watch, once a second: the counter against the kernel's MONOTONIC
  // (true time here, less what a suspend hid) and BOOTTIME − MONOTONIC, through the daemon's
  // own DisruptionDetector with the period and bound it would have published.
  void watch(SimTime t) {
    if (suspended(t)) return;
    const core::engine::WakeReading r{osc_.counter(t), std::llround((t - monotonic_lost_s_) * 1e9),
                                      std::llround((t - boottime_lost_s_) * 1e9)};
    const bool calibrated = clock_view_.available();
    const long double period = calibrated ? clock_view_.local_period_s() : 1.0L / osc_.nominal_hz();
    const double bound = calibrated ? published_period_bound_ : 500e-6;
    if (auto why = detector_.check(r, period, bound)) {
      ++result_.detected_disruptions;
      disrupt(t, *why);
      (void)detector_.check(r, period, bound);  // the reading after the disruption is the new base
    }
  }

  void mark(int64_t s, bool bad, double abs_err) {
    Segment& seg = segments_[current_segment_];
    if (bad) {
      last_bad_ = s;
      seg.last_bad = s;
      seg.last_good_after_bad = false;
    } else {
      seg.last_good_after_bad = true;
    }
    seg.worst_abs = std::max(seg.worst_abs, abs_err);
  }

  void sample(int64_t s) {
    while (current_segment_ < sc_.events.size() &&
           sc_.events[current_segment_].at_s <= static_cast<double>(s)) {
      ++current_segment_;
    }
    const auto t = static_cast<SimTime>(s);
    if (suspended(t)) return;  // nothing reads a clock in a suspended machine
    // At a leap instant POSIX UTC is discontinuous: a reading a nanosecond either side of it
    // differs by a second from the truth's convention, so that one sample is not compared.
    const bool measured = s >= warmup_;
    const Oscillator::AtSecond now = osc_.at_second(s);
    const uint64_t c = now.counter;
    history_.put(s, c);
    for (const Event& e : sc_.events) {
      if (e.kind == EventKind::Leap && std::fabs(e.at_s - static_cast<double>(s)) < 0.5) return;
    }
    if (!clock_view_.available()) {
      mark(s, true, 0);
      if (measured) {
        result_.metrics.add_unavailable();
        ++segments_[current_segment_].unavailable;
      }
      return;
    }
    const PublishedClock::Reading r = clock_view_.read(c);
    const double err = (r.time - truth_.utc_at_second(s)).to_seconds();
    const double maxerr = r.maxerror.to_seconds();
    mark(s, !(std::fabs(err) <= threshold_s_), std::fabs(err));
    const Duration mono = clock_view_.monotonic(c);
    if (measured && last_monotonic_ && mono < *last_monotonic_) result_.metrics.add_monotonic_backstep();
    last_monotonic_ = mono;
    if (!measured) return;

    // p̂ / p_true − 1 with p_true = 1 / (f_nominal (1 + y)).
    const long double true_rate = osc_.nominal_hz() * (1.0L + now.frequency_error);
    const auto rate_err = static_cast<double>(clock_view_.period_s() * true_rate - 1.0L);
    const auto local_rate_err = static_cast<double>(clock_view_.local_period_s() * true_rate - 1.0L);
    result_.metrics.add_sample(err, maxerr, r.esterror_s, rate_err, local_rate_err);
    if (trace_) result_.trace.push_back({s, err * 1e6, maxerr * 1e6, r.esterror_s * 1e6});
    for (const int tau : {1, 1000, 86400}) {
      if (s - tau < diff_valid_from_ || s - tau < 0) continue;
      const double measured_tau = clock_view_.elapsed(history_.get(s - tau), c).to_seconds();
      result_.metrics.add_diff(tau, measured_tau - tau);
    }
    add_to_bucket(s - warmup_, err, maxerr);
  }

  void add_to_bucket(int64_t m, double err, double maxerr) {
    const int64_t start = m - m % bucket_s_;
    if (bucket_.samples > 0 && static_cast<int64_t>(bucket_.t_s) != start) flush_bucket();
    if (bucket_.samples == 0) {
      bucket_ = SeriesPoint{};
      bucket_.t_s = static_cast<double>(start);
      bucket_.err_min_us = bucket_.err_max_us = err * 1e6;
    }
    bucket_.err_min_us = std::min(bucket_.err_min_us, err * 1e6);
    bucket_.err_max_us = std::max(bucket_.err_max_us, err * 1e6);
    bucket_.err_mean_us += err * 1e6;
    bucket_.bound_mean_us += maxerr * 1e6;
    ++bucket_.samples;
  }

  void flush_bucket() {
    if (bucket_.samples == 0) return;
    bucket_.err_mean_us /= static_cast<double>(bucket_.samples);
    bucket_.bound_mean_us /= static_cast<double>(bucket_.samples);
    result_.series.push_back(bucket_);
    bucket_ = SeriesPoint{};
  }

  const Scenario& sc_;
  TrueTime truth_;
  Oscillator osc_;
  RunResult result_;  // before engine_: its source clock factory counts verdicts into it
  core::engine::SyncEngine engine_;
  std::vector<std::unique_ptr<SimServer>> servers_;
  PublishedClock clock_view_;
  std::priority_queue<Action, std::vector<Action>, std::greater<>> actions_;
  uint64_t seq_ = 0;
  uint64_t timer_generation_ = 0;
  uint64_t reply_epoch_ = 0;
  SimTime suspend_start_ = std::numeric_limits<SimTime>::infinity();
  SimTime suspend_end_ = std::numeric_limits<SimTime>::infinity();
  core::engine::DisruptionDetector detector_;
  double monotonic_lost_s_ = 0;  // MONOTONIC = truth − this (a kernel suspend stops it)
  double boottime_lost_s_ = 0;   // BOOTTIME = truth − this (only a pause nobody sees)
  double published_period_bound_ = 500e-6;
  int64_t warmup_;
  int64_t end_;
  double threshold_s_;
  bool trace_ = false;
  int64_t last_bad_ = -1;
  int64_t diff_valid_from_ = 0;
  std::optional<Duration> last_monotonic_;  // the page's monotonic clock, last sample
  CounterHistory history_;
  std::vector<Segment> segments_;
  size_t current_segment_ = 0;
  int64_t bucket_s_ = 1;
  SeriesPoint bucket_;
};

}  // namespace

RunResult simulate(const Scenario& scenario, uint64_t seed, ClockUnderTest& clock,
                   const RunOptions& options) {
  Run run(scenario, seed, clock, options);
  return run.run();
}

}  // namespace ffclock::sim
