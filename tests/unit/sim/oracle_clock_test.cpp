// SPDX-License-Identifier: BSD-2-Clause
#include "sim/oracle_clock.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/naive_clock.hpp"
#include "sim/simulation.hpp"

namespace ffclock::sim {
namespace {

// lanjit's path and oscillator over 6 h: 100 µs + Exp(100 µs) each way, 1 ppb/√s wander.
Scenario jittery() {
  Scenario s;
  s.name = "jittery";
  s.oscillator.skew_ppm = 100;
  s.oscillator.wander_ppb = 1.0;
  s.forward.min_s = s.backward.min_s = 100e-6;
  s.forward.queue_mean_s = s.backward.queue_mean_s = 100e-6;
  s.metrics.warmup_s = 3600;
  s.metrics.duration_s = 6 * 3600;
  return s;
}

struct Pooled {
  double rms_us = 0, esterror_rms_us = 0, within_3 = 0;
};

// RMS and esterror figures pooled over seeds 1–3.
template <typename Make>
Pooled run3(const Scenario& s, Make make) {
  Pooled p;
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    auto clock = make();
    const RunResult r = simulate(s, seed, clock);
    const Summary m = r.metrics.summary(r.convergence_s);
    p.rms_us += m.abs_rms_us * m.abs_rms_us / 3;
    p.esterror_rms_us += m.esterror_rms_us * m.esterror_rms_us / 3;
    p.within_3 += m.within_3_esterror / 3;
  }
  p.rms_us = std::sqrt(p.rms_us);
  p.esterror_rms_us = std::sqrt(p.esterror_rms_us);
  return p;
}

TEST(OracleClock, ItsOneSigmaIsCalibratedWhenToldTheTruth) {
  // A Kalman filter whose model is the simulated world's must be calibrated: a wrong stamp
  // variance or a wrong gain shows as a ratio away from 1.
  const Scenario s = jittery();
  const Pooled p = run3(s, [] { return OracleClock(1e-9L, 200e-6, 1e-9); });
  EXPECT_GT(p.rms_us / p.esterror_rms_us, 0.85);
  EXPECT_LT(p.rms_us / p.esterror_rms_us, 1.2);
  EXPECT_GT(p.within_3, 0.99);
}

TEST(OracleClock, TheTrueWanderBeatsAWrongOneAndTheNaiveClock) {
  const Scenario s = jittery();
  const double truth = run3(s, [] { return OracleClock(1e-9L, 200e-6, 1e-9); }).rms_us;
  const double too_loose = run3(s, [] { return OracleClock(1e-9L, 200e-6, 1e-8); }).rms_us;
  const double too_tight = run3(s, [] { return OracleClock(1e-9L, 200e-6, 1e-10); }).rms_us;
  const double naive = run3(s, [] { return NaiveClock(1e-9L); }).rms_us;
  EXPECT_LT(truth, 0.9 * too_loose);
  EXPECT_LT(truth, 0.9 * too_tight);
  EXPECT_LT(truth, 0.2 * naive);  // the naive clock is off by each stamp's whole split
  EXPECT_LT(truth, 8.0);          // lanjit's figure, 6.4 µs over 24 h
}

}  // namespace
}  // namespace ffclock::sim
