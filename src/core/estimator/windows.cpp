// SPDX-License-Identifier: BSD-2-Clause
// Window and threshold formulas from RADclock's sync_bidir.c.
#include "core/estimator/windows.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::estimator {

Windows make_windows(const EstimatorConfig& config, int poll_s) {
  const double poll = std::max(1, poll_s);
  // A stamp-count floor, capped to window_floor_span_s of stamps at long polls.
  const double floor_cap =
      std::max<double>(config.window_floor_min_stamps, std::ceil(config.window_floor_span_s / poll));
  const auto stamp_floor = [floor_cap](int stamps) {
    return static_cast<uint64_t>(std::max(1.0, std::min<double>(stamps, floor_cap)));
  };
  Windows w;
  w.top = static_cast<uint64_t>(std::max(2.0, config.top_window_s / poll));
  w.shift = std::max<uint64_t>(static_cast<uint64_t>(std::ceil(config.shift_window_s / poll)),
                               stamp_floor(config.shift_window_min));
  w.offset = std::max<uint64_t>(2, static_cast<uint64_t>(config.skm_scale_s / poll));
  w.plocal = std::max<uint64_t>(5, static_cast<uint64_t>(std::max(1, config.plocal_window_ratio)) * w.offset);
  w.wwidth = std::max<uint64_t>(1, w.plocal / 5);
  w.warmup = std::max({stamp_floor(config.warmup_window_min), w.shift, w.offset, w.plocal + w.plocal / 2});
  w.fit = static_cast<uint64_t>(std::max(2, config.fit_window_max));
  // The local-period far window ends plocal + wwidth/2 back and is wwidth wide.
  const uint64_t plocal_reach = w.plocal + w.wwidth / 2 + w.wwidth + 1;
  w.capacity = static_cast<std::size_t>(std::max({w.warmup, w.shift, w.offset, plocal_reach, w.fit}) + 1);
  return w;
}

Thresholds make_thresholds(const EstimatorConfig& config) {
  const double delta = config.ts_limit_s;
  Thresholds t;
  t.shift = 10 * delta;
  t.phat = 3 * delta;
  t.phat_quality = config.rate_err_bound / 5;
  t.offset = config.offset_ratio * delta;
  t.offset_quality = 3 * t.offset;
  t.offset_sanity_min = 100 * delta;
  apply_rate_bound(t, config.rate_err_bound);
  return t;
}

void apply_rate_bound(Thresholds& t, double rate_bound) {
  t.phat_sanity = 3 * rate_bound;
  t.plocal_sanity = 3 * rate_bound;
  t.offset_sanity_rate = 20 * rate_bound;
}

Thresholds calibrate_thresholds(const EstimatorConfig& config, long double rtt_hat_s) {
  Thresholds t = make_thresholds(config);
  if (rtt_hat_s >= 3e-3L) {
    t.shift = 3 * t.shift;
    t.offset_quality = 6 * t.offset;
  }
  return t;
}

}  // namespace ffclock::core::estimator
