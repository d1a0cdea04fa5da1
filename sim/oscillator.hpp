// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The true oscillator behind the host's counter. Its frequency error is
//   y(t) = skew + w(t) + A·sin(2πt/P + φ) + Σ frequency steps,
// where the random walk w changes once per simulated second by N(0, σ²) and is constant
// within a second, so the phase (the integral of 1 + y) is exact and piecewise closed-form.
// counter(t) = counter_start + floor(nominal_hz · phase(t)) + counter jumps, held while the
// host is suspended with a stopped counter.
//
// Queries may go back at most kLookback seconds behind the newest one (the wander path is
// kept in a ring), which is all an event-ordered simulation needs.

#include <cstdint>
#include <vector>

#include "sim/rng.hpp"
#include "sim/scenario.hpp"

namespace ffclock::sim {

class Oscillator {
 public:
  static constexpr int64_t kLookback = 4096;
  static constexpr int64_t kRing = 8192;  // power of two > kLookback: index with a mask

  // Frequency steps, counter jumps and suspends are taken from the scenario's events.
  Oscillator(const OscillatorModel& model, const std::vector<Event>& events, uint64_t seed);

  // Counter value at true time t (t >= 0).
  uint64_t counter(SimTime t);
  // Counter value and frequency error at a whole second: the per-second sampling fast path
  // (no floor of a long double, no fractional wander term). Same values as counter(s) and
  // frequency_error(s).
  struct AtSecond {
    uint64_t counter;
    double frequency_error;
  };
  AtSecond at_second(int64_t s);
  // Frequency error y(t) (dimensionless) at true time t.
  double frequency_error(SimTime t);
  // Phase: the integral of (1 + y) from 0 to t, in seconds, before jumps and suspends.
  long double phase(SimTime t);
  // The true period of one counter tick at t, in seconds.
  long double true_period(SimTime t) { return 1.0L / (nominal_hz_ * (1.0L + frequency_error(t))); }
  double nominal_hz() const { return nominal_hz_; }

 private:
  struct Step {
    SimTime at;
    long double dy;
  };
  struct Jump {
    SimTime at;
    int64_t ticks;
  };
  struct Hold {
    SimTime start, end;
    long double raw_start = 0, raw_end = 0;  // raw counter (ticks) at start and end
    bool known = false;
  };

  void extend_to(int64_t second);
  static size_t slot(int64_t k) { return static_cast<size_t>(k & (kRing - 1)); }
  // Phase at t = k + frac (0 <= frac < 1).
  long double phase_at(int64_t k, long double frac);
  double frequency_error_at(int64_t k, SimTime t);
  // Counter before suspends, in ticks (long double, not floored).
  long double raw(SimTime t) { return raw_at(whole(t), t); }
  long double raw_at(int64_t k, SimTime t);
  uint64_t counter_at(int64_t k, SimTime t);
  static int64_t whole(SimTime t) { return t <= 0 ? 0 : static_cast<int64_t>(t); }

  double nominal_hz_;
  long double skew_;
  double sigma_;
  long double temp_amp_, temp_omega_, temp_phase_;
  uint64_t counter_start_;
  std::vector<Step> steps_;
  std::vector<Jump> jumps_;
  std::vector<Hold> holds_;
  Rng rng_;
  // Ring of the wander path: w_[k % N] is the wander during second k, cum_[k % N] its
  // integral over [0, k).
  std::vector<double> w_;
  std::vector<long double> cum_;
  int64_t newest_ = -1;
};

}  // namespace ffclock::sim
