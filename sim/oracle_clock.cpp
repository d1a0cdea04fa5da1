// SPDX-License-Identifier: BSD-2-Clause
#include "sim/oracle_clock.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::sim {

namespace {
// The oscillator's skew is unknown to the filter at the start: ±1000 ppm covers any crystal.
constexpr double kInitialRateSigma = 1e-3;
// Stamps and their arithmetic are exact to about a nanosecond.
constexpr double kStampFloorS = 1e-9;
}  // namespace

OracleClock::OracleClock(long double nominal_period_s, double min_rtt_s, double wander)
    : nominal_period_s_(nominal_period_s), min_rtt_s_(min_rtt_s), wander_(wander) {}

void OracleClock::reset() {
  started_ = false;
  params_.reset();
}

core::ExchangeVerdict OracleClock::add(const core::Exchange& ex) {
  if (ex.tf <= ex.ta || ex.te < ex.tb) return core::ExchangeVerdict::RejectedInsane;
  if (ex.server.stratum == 0 || ex.server.stratum >= 16 ||
      ex.server.leap == core::LeapIndicator::Unsynchronized) {
    return core::ExchangeVerdict::RejectedServer;
  }
  const uint64_t mid_counter = ex.ta + (ex.tf - ex.ta) / 2;
  const UtcTime mid_time = ex.tb + (ex.te - ex.tb) / 2;
  if (!started_) {
    started_ = true;
    ref_counter_ = mid_counter;
    ref_time_ = mid_time;
    last_counter_ = mid_counter;
    offset_ = rate_ = 0;
    p00_ = 1.0;  // the first stamp sets the offset
    p01_ = 0;
    p11_ = kInitialRateSigma * kInitialRateSigma;
  }
  // Predict from the last stamp to this one: x = F x, P = F P Fᵀ + Q (integrated random walk).
  const double dt =
      static_cast<double>(static_cast<long double>(mid_counter - last_counter_) * nominal_period_s_);
  const double q = wander_ * wander_;
  offset_ += rate_ * dt;
  const double n00 = p00_ + 2 * dt * p01_ + dt * dt * p11_ + q * dt * dt * dt / 3;
  const double n01 = p01_ + dt * p11_ + q * dt * dt / 2;
  const double n11 = p11_ + q * dt;
  // Measure: the midpoints' offset from the reference line, noise a uniform split of the
  // excess round trip.
  const long double ref_at_mid = static_cast<long double>(mid_counter - ref_counter_) * nominal_period_s_;
  const double z = static_cast<double>((mid_time - ref_time_).to_seconds_ld() - ref_at_mid);
  const double rtt =
      static_cast<double>(static_cast<long double>(ex.tf - ex.ta) * nominal_period_s_ * (1 + rate_)) -
      (ex.te - ex.tb).to_seconds();
  const double excess = std::max(0.0, rtt - min_rtt_s_);
  const double r = excess * excess / 12 + kStampFloorS * kStampFloorS;
  const double s = n00 + r;
  const double k0 = n00 / s, k1 = n01 / s;
  const double innovation = z - offset_;
  offset_ += k0 * innovation;
  rate_ += k1 * innovation;
  p00_ = n00 - k0 * n00;
  p01_ = n01 - k0 * n01;
  p11_ = n11 - k1 * n01;
  last_counter_ = mid_counter;

  core::ClockParams p;
  p.anchor_counter = mid_counter;
  p.anchor_time = ref_time_ + Duration::from_seconds(ref_at_mid + static_cast<long double>(offset_));
  p.period = CounterPeriod::from_seconds(nominal_period_s_ * (1 + static_cast<long double>(rate_)));
  p.local_period = p.period;
  const double sigma = std::sqrt(std::max(0.0, p00_));
  p.time_esterror = Duration::from_seconds(sigma);
  p.time_maxerror = Duration::from_seconds(10 * sigma);
  p.period_esterror_rel = std::sqrt(std::max(0.0, p11_));
  p.period_maxerror_rel = 10 * p.period_esterror_rel;
  p.status = core::SyncStatus::Synchronized;
  params_ = p;
  return core::ExchangeVerdict::Used;
}

}  // namespace ffclock::sim
