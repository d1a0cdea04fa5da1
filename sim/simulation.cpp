#include "sim/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <limits>
#include <queue>

#include "sim/evaluate.hpp"
#include "sim/network.hpp"
#include "sim/oscillator.hpp"
#include "sim/server.hpp"

namespace ffclock::sim {

namespace {

enum class ActionKind : uint8_t { Send, Reply, Event, Resume };

struct Action {
  SimTime t = 0;
  uint64_t seq = 0;  // FIFO among equal times
  ActionKind kind = ActionKind::Send;
  uint64_t epoch = 0;
  size_t event = 0;
  core::Exchange exchange;
  friend bool operator>(const Action& a, const Action& b) { return a.t != b.t ? a.t > b.t : a.seq > b.seq; }
};

Action make(SimTime t, ActionKind kind, uint64_t epoch, size_t event = 0) {
  Action a;
  a.t = t;
  a.kind = kind;
  a.epoch = epoch;
  a.event = event;
  return a;
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
        clock_(clock),
        truth_(sc.client.start, sc.events),
        osc_(sc.oscillator, sc.events, seed),
        net_(sc, seed),
        server_(sc, truth_),
        poll_(sc.client.poll_s),
        warmup_(static_cast<int64_t>(std::llround(sc.metrics.warmup_s))),
        end_(warmup_ + static_cast<int64_t>(std::llround(sc.metrics.duration_s))),
        threshold_s_(sc.metrics.convergence_threshold_us * 1e-6) {
    result_.seed = seed;
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
    start_burst(0);
    for (int64_t s = 0; s < end_; ++s) {
      while (!actions_.empty() && actions_.top().t <= static_cast<SimTime>(s)) {
        Action a = actions_.top();
        actions_.pop();
        handle(a);
      }
      sample(s);
    }
    flush_bucket();
    result_.simulated_s = static_cast<double>(end_);
    result_.convergence_s = last_bad_ + 1 >= end_ ? std::nullopt : std::optional<double>(static_cast<double>(last_bad_ + 1));
    for (size_t i = 0; i < sc_.events.size(); ++i) {
      const Segment& seg = segments_[i + 1];
      EventOutcome out;
      out.event = sc_.events[i];
      out.worst_abs_error_us = seg.worst_abs * 1e6;
      out.unavailable_s = seg.unavailable;
      // Recovery counts from the end of the fault (its start for instantaneous events).
      const Event& e = sc_.events[i];
      const auto end = static_cast<int64_t>(std::ceil(e.at_s + std::max(0.0, e.duration_s)));
      if (seg.last_bad < 0) out.recovery_s = 0.0;
      else if (!seg.last_good_after_bad) out.recovery_s = std::nullopt;
      else out.recovery_s = static_cast<double>(std::max<int64_t>(0, seg.last_bad + 1 - end));
      result_.events.push_back(out);
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

  void push(Action a) {
    a.seq = seq_++;
    actions_.push(std::move(a));
  }

  bool suspended(SimTime t) const { return t >= suspend_start_ && t < suspend_end_; }

  void start_burst(SimTime t) {
    burst_left_ = sc_.client.burst;
    ++send_epoch_;
    push(make(t, ActionKind::Send, send_epoch_));
  }

  void handle(const Action& a) {
    switch (a.kind) {
      case ActionKind::Send:
        if (a.epoch == send_epoch_) send(a.t);
        break;
      case ActionKind::Reply:
        if (a.epoch == reply_epoch_ && !suspended(a.t)) receive(a.t, a.exchange);
        break;
      case ActionKind::Event:
        on_event(a.t, sc_.events[a.event]);
        break;
      case ActionKind::Resume:
        on_resume(a.t, sc_.events[a.event]);
        break;
    }
  }

  void send(SimTime t) {
    SimTime next = t + poll_;
    if (burst_left_ > 0) {
      --burst_left_;
      if (burst_left_ > 0) next = t + sc_.client.burst_spacing_s;
    }
    push(make(next, ActionKind::Send, send_epoch_));
    ++result_.requests;

    core::Exchange ex;
    ex.ta = osc_.counter(t);
    const auto fwd = net_.forward.delay(t);
    const auto back = net_.backward.delay(t);  // drawn for every request: fixed draw order
    if (!fwd) return;
    const SimTime at_server = t + *fwd;
    const auto reply = server_.answer(at_server);
    if (!reply || !back) return;
    const SimTime t_recv = at_server + server_.processing() + *back;
    ex.tb = reply->tb;
    ex.te = reply->te;
    ex.server = reply->info;
    ex.server.poll_log2 = static_cast<int8_t>(std::lround(std::log2(poll_)));
    ex.tf = osc_.counter(t_recv);
    Action reply_action = make(t_recv, ActionKind::Reply, reply_epoch_);
    reply_action.exchange = ex;
    push(std::move(reply_action));
  }

  void receive(SimTime t, const core::Exchange& ex) {
    ++result_.exchanges;
    count(clock_.add(ex));
    const auto params = clock_.params();
    if (!params) {
      clock_view_.withdraw();
      return;
    }
    const Duration step = clock_view_.publish(*params, ex.tf);
    if (t >= static_cast<SimTime>(warmup_)) result_.metrics.add_publication_step(step.to_seconds());
  }

  void count(core::ExchangeVerdict v) {
    VerdictCounts& c = result_.verdicts;
    switch (v) {
      case core::ExchangeVerdict::Used: ++c.used; break;
      case core::ExchangeVerdict::UsedWarmUp: ++c.warmup; break;
      case core::ExchangeVerdict::RejectedInsane: ++c.insane; break;
      case core::ExchangeVerdict::RejectedServer: ++c.server; break;
      case core::ExchangeVerdict::KeptOldPeriod: ++c.kept_period; break;
      case core::ExchangeVerdict::KeptOldOffset: ++c.kept_offset; break;
      case core::ExchangeVerdict::ServerChanged: ++c.server_changed; break;
    }
  }

  // The daemon detected a disruption: forget the calibration and re-acquire with a burst.
  void disrupt(SimTime t) {
    clock_.reset();
    clock_view_.withdraw();
    ++reply_epoch_;  // exchanges in flight straddle the disruption
    diff_valid_from_ = static_cast<int64_t>(std::ceil(t));
    start_burst(t);
  }

  void on_event(SimTime t, const Event& e) {
    switch (e.kind) {
      case EventKind::PollChange:
        poll_ = e.poll_s;
        clock_.set_poll(e.poll_s);
        break;
      case EventKind::Migration:
        disrupt(t);
        break;
      case EventKind::Suspend:
        suspend_start_ = t;
        suspend_end_ = t + e.duration_s;
        ++reply_epoch_;
        ++send_epoch_;  // nothing runs while suspended
        push(make(suspend_end_, ActionKind::Resume, 0, static_cast<size_t>(&e - sc_.events.data())));
        break;
      default:
        break;  // network, server and oscillator events act through their models
    }
  }

  void on_resume(SimTime t, const Event& e) {
    if (e.counter == SuspendCounter::Stops) diff_valid_from_ = static_cast<int64_t>(std::ceil(t));
    if (e.reset) {
      disrupt(t);
    } else {
      ++send_epoch_;
      push(make(t, ActionKind::Send, send_epoch_));
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
    while (current_segment_ < sc_.events.size() && sc_.events[current_segment_].at_s <= static_cast<double>(s)) {
      ++current_segment_;
    }
    const auto t = static_cast<SimTime>(s);
    if (suspended(t)) return;  // nothing reads a clock in a suspended machine
    const bool measured = s >= warmup_;
    const Oscillator::AtSecond now = osc_.at_second(s);
    const uint64_t c = now.counter;
    history_.put(s, c);
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
  ClockUnderTest& clock_;
  TrueTime truth_;
  Oscillator osc_;
  Network net_;
  Server server_;
  PublishedClock clock_view_;
  std::priority_queue<Action, std::vector<Action>, std::greater<>> actions_;
  uint64_t seq_ = 0;
  int poll_;
  int burst_left_ = 0;
  uint64_t send_epoch_ = 0;
  uint64_t reply_epoch_ = 0;
  SimTime suspend_start_ = std::numeric_limits<SimTime>::infinity();
  SimTime suspend_end_ = std::numeric_limits<SimTime>::infinity();
  int64_t warmup_;
  int64_t end_;
  double threshold_s_;
  int64_t last_bad_ = -1;
  int64_t diff_valid_from_ = 0;
  std::optional<Duration> last_monotonic_;  // the page's monotonic clock, last sample
  CounterHistory history_;
  std::vector<Segment> segments_;
  size_t current_segment_ = 0;
  int64_t bucket_s_ = 1;
  SeriesPoint bucket_;
  RunResult result_;
};

}  // namespace

RunResult simulate(const Scenario& scenario, uint64_t seed, ClockUnderTest& clock, const RunOptions& options) {
  Run run(scenario, seed, clock, options);
  return run.run();
}

}  // namespace ffclock::sim
