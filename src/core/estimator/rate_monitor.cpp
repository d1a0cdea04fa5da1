// SPDX-License-Identifier: BSD-2-Clause
// Envelope of the proven local-rate departure from p̂, and the rate bound derived from it.
#include "core/estimator/rate_monitor.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::estimator {

void RateMonitor::start(const RateMonitorConfig& config) {
  config_ = config;
  envelope_ = 0;
  transient_ = 0;
  line_departure_ = 0;
  last_evidence_ = 0;
  last_s_ = 0;
  have_last_ = false;
  pending_ = 0;
  pending_rate_ = 0;
}

void RateMonitor::decay(double now_s) {
  if (have_last_) {
    const double dt = std::max(0.0, now_s - last_s_);
    if (config_.memory_s > 0) envelope_ *= std::exp(-dt / config_.memory_s);
    if (config_.transient_memory_s > 0) {
      const double f = std::exp(-dt / config_.transient_memory_s);
      transient_ *= f;
      line_departure_ *= f;
    }
  }
  last_s_ = std::max(last_s_, now_s);
  have_last_ = true;
}

bool RateMonitor::observe_innovation(double miss, double tolerance, double age_s, double line_slope,
                                     double now_s, double explained) {
  decay(now_s);
  const double excess = std::fabs(miss) - tolerance;
  if (!(age_s > 0) || !(excess > 0)) {
    pending_ = 0;
    return false;
  }
  // The line's slope b predicts θ; the stamp proves the slope since the anchor was at least
  // b + excess/age (in the direction of the miss).
  const double departure = std::copysign(excess / age_s, miss);
  const double rate = std::fabs(line_slope + departure) - explained;
  const bool confirmed = pending_ != 0 && (pending_ > 0) == (departure > 0);
  line_departure_ = std::max(line_departure_, std::fabs(departure));
  if (confirmed) {
    // A run of two on the same side: the smaller of the two is what both prove.
    transient_ = std::max(transient_, std::min(rate, pending_rate_));
  }
  pending_ = departure;
  pending_rate_ = rate;
  return confirmed;
}

void RateMonitor::observe(const std::array<LineFit, kMaxFitWindows>& fits, std::size_t count, double now_s,
                          double explained) {
  double evidence = 0;
  for (std::size_t k = 0; k < count && k < kMaxFitWindows; ++k) {
    const LineFit& f = fits[k];
    if (!f.valid || !f.fitted_slope || f.stamps < config_.min_stamps) continue;
    evidence = std::max(evidence, std::fabs(f.slope) - config_.z * f.slope_esterror - explained);
  }
  decay(now_s);
  last_evidence_ = evidence;
  envelope_ = std::max(envelope_, evidence);
}

double RateMonitor::rate_bound() const {
  return std::max(config_.floor, config_.margin * std::max(envelope_, transient_));
}

}  // namespace ffclock::core::estimator
