// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A reference, not a product: the causal Kalman filter that knows what no daemon can. It is
// told the path's true minimum round trip and the oscillator's wander, weighs each stamp by
// the variance of a uniform split of its excess round trip ((RTT − min)²/12), and tracks
// offset and rate as a random walk of the frequency with exactly the simulated strength. On a
// scenario whose oscillator only wanders and whose minimum delays do not move, its error is
// about the least any two-way linear estimator can reach from the same stamps; the
// simulator's `--estimator oracle` measures how far ffclock is from it on the same draws.
// Its maxerror is 10σ of its own filter, not a bound.

#include <optional>

#include "sim/clock_under_test.hpp"

namespace ffclock::sim {

class OracleClock final : public ClockUnderTest {
 public:
  // min_rtt_s: the true minimum of (Tf − Ta) − (Te − Tb); wander: σ of the per-second
  // frequency increment (dimensionless).
  OracleClock(long double nominal_period_s, double min_rtt_s, double wander);
  core::ExchangeVerdict add(const core::Exchange& exchange) override;
  std::optional<core::ClockParams> params() const override { return params_; }
  void set_poll(int) override {}
  void reset() override;

 private:
  long double nominal_period_s_;
  double min_rtt_s_;
  double wander_;
  // Reference line t_ref(c) = ref_time_ + (c − ref_counter_)·nominal; the state is the
  // clock's offset from it at the last stamp (s) and its rate error (s/s), with covariance.
  bool started_ = false;
  uint64_t ref_counter_ = 0;
  UtcTime ref_time_;
  uint64_t last_counter_ = 0;
  double offset_ = 0, rate_ = 0;
  double p00_ = 0, p01_ = 0, p11_ = 0;
  std::optional<core::ClockParams> params_;
};

}  // namespace ffclock::sim
