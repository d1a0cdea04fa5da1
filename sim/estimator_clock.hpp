// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// core::Estimator behind the simulator's ClockUnderTest interface.

#include "core/estimator/estimator.hpp"
#include "sim/clock_under_test.hpp"

namespace ffclock::sim {

class EstimatorClock final : public ClockUnderTest {
 public:
  explicit EstimatorClock(const core::EstimatorConfig& config) : estimator_(config) {}
  core::ExchangeVerdict add(const core::Exchange& exchange) override { return estimator_.add(exchange); }
  std::optional<core::ClockParams> params() const override { return estimator_.params(); }
  std::optional<core::ClockParams> params_at(uint64_t counter, double horizon_s) const override {
    return estimator_.params_at(counter, horizon_s);
  }
  void set_poll(int poll_s) override { estimator_.set_poll(poll_s); }
  void reset() override { estimator_.reset(); }
  void seed_period(long double period_s, double maxerror_rel) override {
    estimator_.seed_period(period_s, maxerror_rel);
  }
  const core::Estimator& estimator() const { return estimator_; }

 private:
  core::Estimator estimator_;
};

}  // namespace ffclock::sim
