#include "sim/evaluate.hpp"

namespace ffclock::sim {

Duration PublishedClock::publish(const core::ClockParams& params, uint64_t counter) {
  Duration step;
  if (params_) step = params.time_at(counter) - params_->time_at(counter);
  params_ = params;
  return step;
}

PublishedClock::Reading PublishedClock::read(uint64_t counter) const {
  return {params_->time_at(counter), params_->maxerror_at(counter)};
}

Duration PublishedClock::elapsed(uint64_t c0, uint64_t c1) const { return params_->elapsed(c0, c1); }

long double PublishedClock::period_s() const { return params_->period.to_seconds(); }

long double PublishedClock::local_period_s() const { return params_->local_period.to_seconds(); }

UtcTime PublishedClock::monotonic(uint64_t counter) {
  UtcTime t = params_->time_at(counter);
  if (monotonic_last_ && t < *monotonic_last_) t = *monotonic_last_;
  monotonic_last_ = t;
  return t;
}

}  // namespace ffclock::sim
