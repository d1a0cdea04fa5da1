// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The naive feed-forward baseline: period from the first and the latest exchange's
// midpoints, offset from the latest exchange alone, error bound = half its RTT plus a rate
// bound. No filtering at all, so its error is exactly predictable from the path (the mean is
// half the asymmetry), which makes it the test double for the simulator's own plumbing.

#include <optional>

#include "sim/clock_under_test.hpp"

namespace ffclock::sim {

class NaiveClock final : public ClockUnderTest {
 public:
  explicit NaiveClock(long double nominal_period_s, double rate_bound = 1e-6)
      : nominal_period_s_(nominal_period_s), rate_bound_(rate_bound) {}
  core::ExchangeVerdict add(const core::Exchange& exchange) override;
  std::optional<core::ClockParams> params() const override { return params_; }
  void set_poll(int) override {}
  void reset() override {
    first_.reset();
    params_.reset();
  }

 private:
  struct Mid {
    long double counter;  // (Ta + Tf) / 2
    UtcTime time;         // (Tb + Te) / 2
  };
  long double nominal_period_s_;
  double rate_bound_;
  std::optional<Mid> first_;
  std::optional<core::ClockParams> params_;
};

}  // namespace ffclock::sim
