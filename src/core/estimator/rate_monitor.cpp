// Envelope of the proven local-rate departure from p̂, and the rate bound derived from it.
#include "core/estimator/rate_monitor.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::estimator {

void RateMonitor::start(const RateMonitorConfig& config) {
  config_ = config;
  envelope_ = 0;
  last_evidence_ = 0;
  last_s_ = 0;
  have_last_ = false;
}

void RateMonitor::observe(const std::array<LineFit, kMaxFitWindows>& fits, std::size_t count, double now_s) {
  double evidence = 0;
  for (std::size_t k = 0; k < count && k < kMaxFitWindows; ++k) {
    const LineFit& f = fits[k];
    if (!f.valid || !f.fitted_slope || f.stamps < config_.min_stamps) continue;
    evidence = std::max(evidence, std::fabs(f.slope) - config_.z * f.slope_esterror);
  }
  if (have_last_ && config_.memory_s > 0) {
    const double dt = std::max(0.0, now_s - last_s_);
    envelope_ *= std::exp(-dt / config_.memory_s);
  }
  last_s_ = now_s;
  have_last_ = true;
  last_evidence_ = evidence;
  envelope_ = std::max(envelope_, evidence);
}

double RateMonitor::rate_bound() const { return std::max(config_.floor, config_.margin * envelope_); }

}  // namespace ffclock::core::estimator
