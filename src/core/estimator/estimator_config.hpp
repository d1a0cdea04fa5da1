#pragma once
// Estimator parameters with RADclock's defaults ("good" temperature quality preset).

#include <cstdint>

namespace ffclock::core {

struct EstimatorConfig {
  long double nominal_period_s = 1e-9L;  // initial p̂ (from the counter's nominal rate)
  int poll_s = 16;                        // expected exchange interval
  double ts_limit_s = 15e-6;              // δ: RADclock's TS_LIMIT
  double skm_scale_s = 1024;              // SKM scale τ*
  double rate_err_bound = 0.5e-6;         // RATE_ERR_BOUND (good)
  double best_skm_rate = 0.2e-6;          // aging rate for offset errors (good)
  int offset_ratio = 6;                   // Eoffset = offset_ratio · δ
  double plocal_quality = 0.8e-6;
  int burst = 8;                          // exchanges before the first publication
};

}  // namespace ffclock::core
