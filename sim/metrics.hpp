// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Streaming statistics for the per-second samples: exact count/mean/RMS/max, and
// percentiles of |x| from a fixed histogram whose bins are the top 7 mantissa bits of the
// double (relative bin width 2^-7; the reported value is the bin's midpoint, so a
// percentile is within 0.4 % of the exact order statistic's magnitude). Memory is fixed, so
// a simulated year costs no more than a day, and runs over several seeds merge exactly.

#include <cstdint>
#include <optional>
#include <vector>

namespace ffclock::sim {

class StreamStats {
 public:
  void add(double x);
  void merge(const StreamStats& o);
  uint64_t count() const { return n_; }
  double mean() const { return n_ ? sum_ / static_cast<double>(n_) : 0; }
  double rms() const;
  double max_abs() const { return max_abs_; }

 private:
  uint64_t n_ = 0;
  double sum_ = 0;    // double, not long double: x87 arithmetic would dominate a year's run,
  double sumsq_ = 0;  // and 3e7 terms lose at most ~1e-9 relative
  double max_abs_ = 0;
};

class AbsHistogram {
 public:
  AbsHistogram();
  void add(double x);  // records |x|
  void merge(const AbsHistogram& o);
  // The q-quantile (0 <= q <= 1) of |x|; 0 when empty.
  double quantile(double q) const;
  uint64_t count() const { return n_; }

 private:
  static constexpr int kMantissaBits = 7;
  static constexpr int kMinExp = -45;  // 2^-45 s ≈ 28 fs: anything smaller lands in bin 0
  static constexpr int kMaxExp = 30;   // 2^30 s: anything larger lands in the last bin
  static int bin_of(double a);
  static double value_of(int bin);
  std::vector<uint64_t> bins_;
  uint64_t n_ = 0;
};

// The summary figures of one run (or of several merged), in the units of the JSON keys.
struct Summary {
  uint64_t samples = 0;      // measured seconds with a published clock
  uint64_t unavailable = 0;  // measured seconds with nothing published (start, after reset)
  double abs_rms_us = 0, abs_mean_us = 0, abs_median_us = 0, abs_p95_us = 0, abs_p99_us = 0, abs_max_us = 0;
  double rate_rms_ppb = 0, rate_max_ppb = 0;              // long-term period p̂
  double local_rate_rms_ppb = 0, local_rate_max_ppb = 0;  // local period (the absolute clock's slope)
  double diff1_rms_ns = 0, diff1_max_ns = 0;
  double diff1000_rms_ns = 0, diff1000_max_ns = 0;
  double diff86400_rms_ns = 0, diff86400_max_ns = 0;
  uint64_t diff86400_samples = 0;
  double coverage = 0;
  double bound_width_mean_us = 0;
  // Calibration of the statistical error estimate (esterror, 1σ): RMS(error)/RMS(esterror)
  // (1 if calibrated) and the fraction of samples with |error| ≤ 3·esterror.
  double esterror_rms_us = 0;
  double esterror_ratio = 0;
  double within_3_esterror = 0;
  std::optional<double> convergence_s;
  uint64_t monotonic_backsteps = 0;
  uint64_t absolute_backsteps = 0;  // publications at which the absolute clock stepped back
  double absolute_max_backstep_us = 0;
};

// Accumulates the measured window of one or more runs.
class Metrics {
 public:
  // One measured second with a published clock. err = published − true (s); maxerror is
  // the published half-width (s), esterror the published 1σ (s); rate errors are
  // p̂/p_true − 1 for the long-term and the local period.
  void add_sample(double err_s, double maxerror_s, double esterror_s, double rate_err, double local_rate_err);
  void add_unavailable() { ++unavailable_; }
  // Difference-clock error over an interval of `interval_s` true seconds.
  void add_diff(int interval_s, double err_s);
  void add_monotonic_backstep() { ++monotonic_backsteps_; }
  void add_publication_step(double step_s);
  void merge(const Metrics& o);

  // convergence_s is per run; for merged runs pass the worst (largest) or nullopt.
  Summary summary(std::optional<double> convergence_s) const;

 private:
  StreamStats err_;
  AbsHistogram err_hist_;
  StreamStats rate_;
  StreamStats local_rate_;
  StreamStats diff1_, diff1000_, diff86400_;
  StreamStats width_;
  StreamStats esterror_;
  uint64_t covered_ = 0;
  uint64_t within_3_esterror_ = 0;
  uint64_t unavailable_ = 0;
  uint64_t monotonic_backsteps_ = 0;
  uint64_t absolute_backsteps_ = 0;
  double max_backstep_ = 0;
};

}  // namespace ffclock::sim
