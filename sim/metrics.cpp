// SPDX-License-Identifier: BSD-2-Clause
#include "sim/metrics.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace ffclock::sim {

void StreamStats::add(double x) {
  ++n_;
  sum_ += x;
  sumsq_ += x * x;
  max_abs_ = std::max(max_abs_, std::fabs(x));
}

void StreamStats::merge(const StreamStats& o) {
  n_ += o.n_;
  sum_ += o.sum_;
  sumsq_ += o.sumsq_;
  max_abs_ = std::max(max_abs_, o.max_abs_);
}

double StreamStats::rms() const { return n_ ? std::sqrt(sumsq_ / static_cast<double>(n_)) : 0; }

AbsHistogram::AbsHistogram() : bins_(static_cast<size_t>((kMaxExp - kMinExp) << kMantissaBits) + 1, 0) {}

int AbsHistogram::bin_of(double a) {
  if (!(a >= std::ldexp(1.0, kMinExp))) return 0;  // also NaN
  if (a >= std::ldexp(1.0, kMaxExp)) return static_cast<int>(((kMaxExp - kMinExp) << kMantissaBits));
  const auto bits = std::bit_cast<uint64_t>(a);
  const int exp = static_cast<int>((bits >> 52) & 0x7FF) - 1023;
  const int mant = static_cast<int>((bits >> (52 - kMantissaBits)) & ((1 << kMantissaBits) - 1));
  return ((exp - kMinExp) << kMantissaBits) + mant;
}

double AbsHistogram::value_of(int bin) {
  if (bin == 0) return 0;
  const int exp = (bin >> kMantissaBits) + kMinExp;
  const int mant = bin & ((1 << kMantissaBits) - 1);
  // Midpoint of [2^e (1 + m/128), 2^e (1 + (m+1)/128)).
  return std::ldexp(1.0 + (mant + 0.5) / (1 << kMantissaBits), exp);
}

void AbsHistogram::add(double x) {
  ++bins_[static_cast<size_t>(bin_of(std::fabs(x)))];
  ++n_;
}

void AbsHistogram::merge(const AbsHistogram& o) {
  for (size_t i = 0; i < bins_.size(); ++i) bins_[i] += o.bins_[i];
  n_ += o.n_;
}

double AbsHistogram::quantile(double q) const {
  if (n_ == 0) return 0;
  // Rank of the order statistic (nearest rank), 1-based.
  const auto rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(n_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < bins_.size(); ++i) {
    seen += bins_[i];
    if (seen >= rank) return value_of(static_cast<int>(i));
  }
  return value_of(static_cast<int>(bins_.size() - 1));
}

void Metrics::add_sample(double err_s, double maxerror_s, double esterror_s, double rate_err,
                         double local_rate_err) {
  err_.add(err_s);
  err_hist_.add(err_s);
  rate_.add(rate_err);
  local_rate_.add(local_rate_err);
  width_.add(2 * maxerror_s);
  if (std::fabs(err_s) <= maxerror_s) ++covered_;
  esterror_.add(esterror_s);
  if (std::fabs(err_s) <= 3 * esterror_s) ++within_3_esterror_;
}

void Metrics::add_diff(int interval_s, double err_s) {
  if (interval_s == 1)
    diff1_.add(err_s);
  else if (interval_s == 1000)
    diff1000_.add(err_s);
  else if (interval_s == 86400)
    diff86400_.add(err_s);
}

void Metrics::add_publication_step(double step_s) {
  if (step_s < 0) {
    ++absolute_backsteps_;
    max_backstep_ = std::max(max_backstep_, -step_s);
  }
}

void Metrics::merge(const Metrics& o) {
  err_.merge(o.err_);
  err_hist_.merge(o.err_hist_);
  rate_.merge(o.rate_);
  local_rate_.merge(o.local_rate_);
  diff1_.merge(o.diff1_);
  diff1000_.merge(o.diff1000_);
  diff86400_.merge(o.diff86400_);
  width_.merge(o.width_);
  esterror_.merge(o.esterror_);
  covered_ += o.covered_;
  within_3_esterror_ += o.within_3_esterror_;
  unavailable_ += o.unavailable_;
  monotonic_backsteps_ += o.monotonic_backsteps_;
  absolute_backsteps_ += o.absolute_backsteps_;
  max_backstep_ = std::max(max_backstep_, o.max_backstep_);
}

Summary Metrics::summary(std::optional<double> convergence_s) const {
  Summary s;
  s.samples = err_.count();
  s.unavailable = unavailable_;
  s.abs_rms_us = err_.rms() * 1e6;
  s.abs_mean_us = err_.mean() * 1e6;
  s.abs_median_us = err_hist_.quantile(0.5) * 1e6;
  s.abs_p95_us = err_hist_.quantile(0.95) * 1e6;
  s.abs_p99_us = err_hist_.quantile(0.99) * 1e6;
  s.abs_max_us = err_.max_abs() * 1e6;
  s.rate_rms_ppb = rate_.rms() * 1e9;
  s.rate_max_ppb = rate_.max_abs() * 1e9;
  s.local_rate_rms_ppb = local_rate_.rms() * 1e9;
  s.local_rate_max_ppb = local_rate_.max_abs() * 1e9;
  s.diff1_rms_ns = diff1_.rms() * 1e9;
  s.diff1_max_ns = diff1_.max_abs() * 1e9;
  s.diff1000_rms_ns = diff1000_.rms() * 1e9;
  s.diff1000_max_ns = diff1000_.max_abs() * 1e9;
  s.diff86400_rms_ns = diff86400_.rms() * 1e9;
  s.diff86400_max_ns = diff86400_.max_abs() * 1e9;
  s.diff86400_samples = diff86400_.count();
  s.coverage = s.samples ? static_cast<double>(covered_) / static_cast<double>(s.samples) : 0;
  s.bound_width_mean_us = width_.mean() * 1e6;
  s.esterror_rms_us = esterror_.rms() * 1e6;
  s.esterror_ratio = esterror_.rms() > 0 ? err_.rms() / esterror_.rms() : 0;
  s.within_3_esterror =
      s.samples ? static_cast<double>(within_3_esterror_) / static_cast<double>(s.samples) : 0;
  s.convergence_s = convergence_s;
  s.monotonic_backsteps = monotonic_backsteps_;
  s.absolute_backsteps = absolute_backsteps_;
  s.absolute_max_backstep_us = max_backstep_ * 1e6;
  return s;
}

}  // namespace ffclock::sim
