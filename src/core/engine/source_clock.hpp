// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What the engine keeps per source to turn exchanges into clock parameters: the Estimator in
// the product. An interface so the simulator can put a baseline (a naive two-point clock) or
// a recording double in its place and still drive the whole engine.

#include <functional>
#include <memory>
#include <optional>

#include "core/clock_params.hpp"
#include "core/estimator/estimator.hpp"
#include "core/exchange.hpp"

namespace ffclock::core::engine {

class SourceClock {
 public:
  virtual ~SourceClock() = default;
  virtual ExchangeVerdict add(const Exchange& exchange) = 0;
  [[nodiscard]] virtual std::optional<ClockParams> params() const = 0;
  // The line anchored at `counter` with its errors grown to there, its rate 1σ such that a
  // reader meets the growth again `horizon_s` later (ClockParams::reanchored): by default as
  // readers grow them; a clock that knows better (the Estimator's holdover) says more.
  [[nodiscard]] virtual std::optional<ClockParams> params_at(uint64_t counter, double horizon_s) const {
    std::optional<ClockParams> p = params();
    if (p) *p = p->reanchored(counter, horizon_s);
    return p;
  }
  virtual void set_poll(int poll_s) = 0;
  virtual void reset() = 0;
  // Warm start from a period saved by an earlier run (no-op for clocks that cannot use one).
  virtual void seed_period(long double /*period_s*/, double /*maxerror_rel*/) {}
};

// The product's SourceClock.
class EstimatorSourceClock final : public SourceClock {
 public:
  explicit EstimatorSourceClock(const EstimatorConfig& config) : estimator_(config) {}
  ExchangeVerdict add(const Exchange& exchange) override { return estimator_.add(exchange); }
  std::optional<ClockParams> params() const override { return estimator_.params(); }
  std::optional<ClockParams> params_at(uint64_t counter, double horizon_s) const override {
    return estimator_.params_at(counter, horizon_s);
  }
  void set_poll(int poll_s) override { estimator_.set_poll(poll_s); }
  void reset() override { estimator_.reset(); }
  void seed_period(long double period_s, double maxerror_rel) override {
    estimator_.seed_period(period_s, maxerror_rel);
  }
  const Estimator& estimator() const { return estimator_; }

 private:
  Estimator estimator_;
};

// Makes source `index`'s clock from the engine's per-source estimator configuration.
using SourceClockFactory =
    std::function<std::unique_ptr<SourceClock>(std::size_t index, const EstimatorConfig&)>;

}  // namespace ffclock::core::engine
