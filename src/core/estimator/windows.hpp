// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// RADclock's windows (in stamps, from the poll period: set_algo_windows) and error
// thresholds (init_errthresholds, parameters_calibration).

#include <cstddef>
#include <cstdint>

#include "core/estimator/estimator_config.hpp"

namespace ffclock::core::estimator {

struct Windows {
  uint64_t top = 0;          // min-RTT forgetting horizon; never stored
  uint64_t shift = 0;        // upward level-shift detection
  uint64_t offset = 0;       // θ̂ weighted average (SKM scale)
  uint64_t plocal = 0;       // local period baseline
  uint64_t wwidth = 0;       // width of the near/far windows of the period estimators
  uint64_t warmup = 0;       // stamps before the full algorithm runs
  uint64_t fit = 0;          // longest offset-fit window
  std::size_t capacity = 0;  // history size that holds every window
};

struct Thresholds {
  double shift = 0;              // Eshift: upward level-shift threshold (s)
  double phat = 0;               // Ep: a period stamp must have E below this
  double phat_quality = 0;       // Ep_qual (relative)
  double phat_sanity = 0;        // Ep_sanity (relative)
  double plocal_sanity = 0;      // Eplocal_sanity (relative)
  double offset = 0;             // Eoffset (s): weight scale
  double offset_quality = 0;     // Eoffset_qual (s)
  double offset_sanity_min = 0;  // Eoffset_sanity = min + rate · gap
  double offset_sanity_rate = 0;
};

[[nodiscard]] Windows make_windows(const EstimatorConfig& config, int poll_s);
[[nodiscard]] Thresholds make_thresholds(const EstimatorConfig& config);
// End of warm-up (parameters_calibration): a long path (RTT̂ ≥ 3 ms) gets looser thresholds.
[[nodiscard]] Thresholds calibrate_thresholds(const EstimatorConfig& config, long double rtt_hat_s);
// The rate gates from the current rate bound (RADclock derives them from RATE_ERR_BOUND; here
// the bound is measured, rate_monitor.hpp): Ep_sanity = Eplocal_sanity = 3·bound, and the
// offset sanity limit grows at 20·bound per second of gap.
void apply_rate_bound(Thresholds& thresholds, double rate_bound);

}  // namespace ffclock::core::estimator
