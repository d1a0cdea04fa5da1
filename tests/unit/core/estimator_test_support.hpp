// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Test helpers for the estimator: a fixed-seed LCG, a perfect oscillator that turns true time
// into counter values, and a small scenario simulator (oscillator with skew and random-walk
// wander, exponential one-way delays, spikes, congestion) that measures the published
// clock's error and bound coverage once per simulated second.

#include <cmath>
#include <cstdint>
#include <optional>

#include "core/estimator/estimator.hpp"
#include "core/exchange.hpp"
#include "ffclock/time.hpp"

namespace ffclock::test {

// Deterministic generator (Knuth's MMIX LCG); enough for delay noise in tests.
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : s_(seed * 2862933555777941757ULL + 3037000493ULL) {}
  double uniform() {  // (0, 1)
    s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return (static_cast<double>(s_ >> 11) + 0.5) / 9007199254740992.0;
  }
  double exponential(double mean) { return mean > 0 ? -mean * std::log(uniform()) : 0; }
  double normal() {
    const double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  uint64_t s_;
};

// A counter of constant period started at `start` (true time) from counter value c0.
struct PerfectOscillator {
  UtcTime start = UtcTime::from_unix(1'700'000'000);
  uint64_t c0 = 1'000'000'000;
  long double period_s = 1e-9L * (1 + 50e-6L);  // +50 ppm slow counter (longer period)

  uint64_t counter_at(Duration since_start) const {
    return c0 + static_cast<uint64_t>(std::llround(since_start.to_seconds_ld() / period_s));
  }
  uint64_t counter_at(UtcTime t) const { return counter_at(t - start); }
  UtcTime time_at(uint64_t c) const {
    return start + Duration::from_seconds(static_cast<long double>(c - c0) * period_s);
  }
};

// One exchange sent at true time t with the given one-way delays and server hold time; the
// server's clock reads true time plus server_error.
inline core::Exchange make_exchange(const PerfectOscillator& osc, UtcTime t, Duration up, Duration down,
                                    Duration hold = Duration::microseconds(5),
                                    Duration server_error = Duration::zero(), core::ServerInfo server = {}) {
  core::Exchange ex;
  ex.ta = osc.counter_at(t);
  ex.tb = t + up + server_error;
  ex.te = ex.tb + hold;
  ex.tf = osc.counter_at(t + up + hold + down);
  ex.server = server;
  return ex;
}

inline core::ServerInfo good_server() {
  core::ServerInfo s;
  s.stratum = 1;
  s.refid = 0x47505300;  // "GPS"
  return s;
}

// ---- Hand-made exchange sequences -----------------------------------------------------------

// A fixed network path polled every poll_s: exchange k is sent at osc.start + phase + k·poll_s
// with the path's current one-way delays and server error (tests change them between
// exchanges).
struct Path {
  PerfectOscillator osc;
  Duration phase = Duration::milliseconds(250);
  int poll_s = 16;
  Duration up = Duration::microseconds(100);
  Duration down = Duration::microseconds(100);
  Duration hold = Duration::microseconds(5);
  Duration server_error = Duration::zero();
  core::ServerInfo server = good_server();

  UtcTime send_time(int64_t k) const { return osc.start + phase + Duration::seconds(k * poll_s); }
  core::Exchange exchange(int64_t k) const {
    return make_exchange(osc, send_time(k), up, down, hold, server_error, server);
  }
  // Published time minus true time at counter c, in seconds.
  double error_at(const core::ClockParams& p, uint64_t c) const {
    return (p.time_at(c) - osc.time_at(c)).to_seconds();
  }
};

// ---- Scenario simulator -------------------------------------------------------------------

struct DelayModel {
  double min_s = 100e-6;
  double exp_mean_s = 10e-6;
  double congested_exp_mean_s = 0;  // extra Exp() during congestion episodes
};

struct ScenarioSpec {
  double skew = 100e-6;          // counter runs fast by this much
  double wander = 1e-9;          // random-walk frequency step per second (std)
  double nominal_tick_s = 1e-9;  // nominal counter period
  int poll_s = 16;
  double warmup_s = 3600;
  double measured_s = 6 * 3600;
  DelayModel up, down;
  double spike_prob = 0;  // Bernoulli spike per packet and direction (S in simulation.md)
  double spike_mean_s = 0;
  bool congestion = false;  // episodes while t mod 600 >= 480
  double server_hold_s = 10e-6;
  double thermal_ppm = 0;  // + thermal_ppm · sin(2πt / thermal_period_s)
  double thermal_period_s = 7200;
  double step_ppm = 0;  // frequency step at step_at_s, nothing signalled
  double step_at_s = 0;
};

struct ScenarioResult {
  double rms_s = 0;
  double max_abs_s = 0;
  double mean_s = 0;
  double coverage = 0;      // fraction of samples with |error| <= maxerror_at
  double mean_bound_s = 0;  // mean half-width
  uint64_t samples = 0;
  uint64_t change_points = 0;  // the estimator's diagnostics at the end
};

// Runs the scenario with one seed; exchanges every poll_s, a sample every second.
inline ScenarioResult run_scenario(const ScenarioSpec& spec, const core::EstimatorConfig& config,
                                   uint64_t seed) {
  Lcg rng(seed);
  core::Estimator est(config);
  const UtcTime t0 = UtcTime::from_unix(1'700'000'000);
  // Oscillator state at integer seconds: counter value (ticks, long double) and frequency.
  long double counter = 5e9L;
  double freq = spec.skew;
  const auto total = static_cast<int64_t>(spec.warmup_s + spec.measured_s);
  long double sum2 = 0, sum = 0, bound_sum = 0, max_abs = 0;
  uint64_t n = 0, covered = 0;
  const long double rate = (1.0L + freq) / spec.nominal_tick_s;  // updated every second below
  (void)rate;
  for (int64_t sec = 0; sec < total; ++sec) {
    const double moved =
        spec.thermal_ppm * 1e-6 *
            std::sin(6.283185307179586 * static_cast<double>(sec) / spec.thermal_period_s) +
        (spec.step_ppm != 0 && static_cast<double>(sec) >= spec.step_at_s ? spec.step_ppm * 1e-6 : 0.0);
    const long double ticks_per_s = (1.0L + freq + moved) / spec.nominal_tick_s;
    auto counter_in = [&](double dt) { return static_cast<uint64_t>(counter + dt * ticks_per_s); };
    if (sec % spec.poll_s == 0) {
      const bool congested = spec.congestion && (sec % 600) >= 480;
      auto delay = [&](const DelayModel& d) {
        double v = d.min_s + rng.exponential(d.exp_mean_s);
        if (spec.spike_prob > 0 && rng.uniform() < spec.spike_prob) v += rng.exponential(spec.spike_mean_s);
        if (congested) v += rng.exponential(d.congested_exp_mean_s);
        return v;
      };
      const double send = 0.25;  // within the second, so the exchange ends before the next
      const double up = delay(spec.up), down = delay(spec.down);
      core::Exchange ex;
      ex.ta = counter_in(send);
      ex.tb = t0 + Duration::seconds(sec) + Duration::from_seconds(send + up);
      ex.te = ex.tb + Duration::from_seconds(spec.server_hold_s);
      ex.tf = counter_in(send + up + spec.server_hold_s + down);
      ex.server = good_server();
      (void)est.add(ex);
    }
    if (sec >= spec.warmup_s) {
      const double at = 0.75;
      const uint64_t c = counter_in(at);
      if (auto p = est.params()) {
        const UtcTime truth = t0 + Duration::seconds(sec) + Duration::from_seconds(at);
        const long double err = (p->time_at(c) - truth).to_seconds_ld();
        const long double bound = p->maxerror_at(c).to_seconds_ld();
        sum2 += err * err;
        sum += err;
        bound_sum += bound;
        max_abs = std::max(max_abs, std::fabs(err));
        if (std::fabs(err) <= bound) ++covered;
      }
      ++n;  // a second with nothing published counts as uncovered
    }
    counter += ticks_per_s;
    freq += spec.wander * rng.normal();
  }
  ScenarioResult r;
  r.samples = n;
  r.change_points = est.diagnostics().change_points;
  if (n > 0) {
    r.rms_s = static_cast<double>(std::sqrt(sum2 / n));
    r.mean_s = static_cast<double>(sum / n);
    r.coverage = static_cast<double>(covered) / static_cast<double>(n);
    r.mean_bound_s = static_cast<double>(bound_sum / n);
    r.max_abs_s = static_cast<double>(max_abs);
  }
  return r;
}

// The four reference scenarios of docs/simulation.md (durations shortened by the caller).
inline ScenarioSpec lan_spec() { return ScenarioSpec{}; }
inline ScenarioSpec lanjit_spec() {
  ScenarioSpec s;
  s.up.exp_mean_s = s.down.exp_mean_s = 100e-6;
  return s;
}
inline ScenarioSpec wan_spec() {
  ScenarioSpec s;
  s.up = {10.05e-3, 1e-3, 0};
  s.down = {9.95e-3, 0.5e-3, 0};
  return s;
}
inline ScenarioSpec congested_spec() {
  ScenarioSpec s;
  s.up = {2e-3, 0.2e-3, 10e-3};
  s.down = {2e-3, 0.2e-3, 2e-3};
  s.spike_prob = 0.05;
  s.spike_mean_s = 30e-3;
  s.congestion = true;
  return s;
}

inline constexpr double kNs = 1e-9;
inline constexpr double kUs = 1e-6;

// The default configuration for a path's poll interval.
inline core::EstimatorConfig config_for(const Path& path) {
  core::EstimatorConfig c;
  c.poll_s = path.poll_s;
  return c;
}

}  // namespace ffclock::test
