#pragma once
// What the simulator drives: anything that takes exchanges and publishes ClockParams. The
// real one is core::Estimator (estimator_clock.hpp); a naive two-point clock
// (naive_clock.hpp) is the baseline and the exactly-predictable test double.

#include <memory>
#include <optional>
#include <string>

#include "core/clock_params.hpp"
#include "core/estimator/estimator.hpp"
#include "core/exchange.hpp"

namespace ffclock::sim {

class ClockUnderTest {
 public:
  virtual ~ClockUnderTest() = default;
  virtual core::ExchangeVerdict add(const core::Exchange& exchange) = 0;
  virtual std::optional<core::ClockParams> params() const = 0;
  virtual void set_poll(int poll_s) = 0;
  virtual void reset() = 0;
};

}  // namespace ffclock::sim
