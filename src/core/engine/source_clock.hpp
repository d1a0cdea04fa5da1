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
