// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The feed-forward estimator (RADclock's algorithm): fed one Exchange at a time, it estimates
// the counter period, the local period and the clock offset, with error bounds. Pure and
// sans-IO: no clocks are read; every input arrives as an argument. Memory is fixed at
// construction (circular histories sized by the windows); add() does not allocate.
//
// The pieces live in their own files: exchange_checks (insane stamps, server state),
// rtt_filter (min RTT, level shifts), period_estimator (p̂), offset_fit (θ̂ and the local
// period from one line fit; an ffclock change from RADclock's separate estimators),
// window_selector (which fit window), kalman_line (the recursive candidates), offset_interval
// (the offset the stamps' ±E/2 intervals prove), rate_monitor (the rate bound every rate gate
// derives from, measured from the fits), offset_estimator (the hard bound), windows (windows
// and thresholds).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/clock_params.hpp"
#include "core/estimator/estimator_config.hpp"
#include "core/estimator/fit_points.hpp"
#include "core/estimator/history.hpp"
#include "core/estimator/holdover_variance.hpp"
#include "core/estimator/innovation_variance.hpp"
#include "core/estimator/kalman_line.hpp"
#include "core/estimator/offset_fit.hpp"
#include "core/estimator/period_estimator.hpp"
#include "core/estimator/rate_monitor.hpp"
#include "core/estimator/rtt_filter.hpp"
#include "core/estimator/shift_asymmetry.hpp"
#include "core/estimator/stamp.hpp"
#include "core/estimator/window_selector.hpp"
#include "core/estimator/windows.hpp"
#include "core/exchange.hpp"

namespace ffclock::core {

// Why the last exchange was or was not used.
enum class ExchangeVerdict : uint8_t {
  Used,            // entered the histories and updated the estimates
  UsedWarmUp,      // entered the histories during warm-up
  RejectedInsane,  // malformed: zero field, Tf < Ta, Te < Tb, counter went back, duplicate
  RejectedServer,  // server unsynchronized (LI 3) or stratum 0/16
  KeptOldPeriod,   // offset updated, but the period candidate failed its sanity gate
  KeptOldOffset,   // offset candidate failed the quality or sanity gate
  ServerChanged,   // stratum/refid/leap changed: histories updated, estimates frozen
};

struct EstimatorDiagnostics {
  ExchangeVerdict last_verdict = ExchangeVerdict::RejectedInsane;
  uint64_t exchanges = 0;  // accepted into the histories
  uint64_t rejected = 0;
  Duration offset;   // θ̂
  Duration min_rtt;  // RTT̂ in seconds (p̂ · counts)
  uint64_t min_rtt_ticks = 0;
  uint64_t level_shifts_up = 0;  // upward RTT level shifts detected
  uint64_t period_sanity_rejects = 0;
  uint64_t offset_sanity_rejects = 0;
  // ffclock additions.
  uint64_t offset_quality_rejects = 0;  // no stamp in the window was good enough
  uint64_t server_changes = 0;          // exchanges flagged by a stratum/refid/leap change
  double rate_bound = 0;                // bound on |true rate − p̂| behind the rate gates
  double rate_envelope = 0;             // largest local-rate departure the fits proved
  uint64_t rate_changes = 0;            // runs of misses of the line that confirmed a rate move
  uint64_t change_points = 0;           // single misses so large the fits restarted at the step
  bool warming_up = true;
  uint32_t fit_window = 0;    // stamps in the offset fit window last used
  Duration last_offset_jump;  // θ̂ candidate − prediction on the last exchange
};

class Estimator {
 public:
  explicit Estimator(const EstimatorConfig& config);

  // Feeds one exchange; returns the verdict for it.
  ExchangeVerdict add(const Exchange& exchange);

  // Current parameters, or nullopt until enough exchanges (RADclock's NTP_BURST) arrived.
  // Computed on the first call after a change of state (the engine asks several times per
  // exchange, and the conversions to fixed point cost more than the copy).
  const std::optional<ClockParams>& params() const {
    if (params_stale_) {
      params_ = compute_params();
      params_stale_ = false;
    }
    return params_;
  }
  // The same line anchored at `counter`, for a reader that has had no new line since: the
  // esterror grown by what extrapolating a line that far has cost (holdover_variance.hpp)
  // beyond the ages the stamps come at, and the rate's 1σ such that a reader's growth from
  // `counter` meets that growth again `horizon_s` later (ClockParams::reanchored).
  [[nodiscard]] std::optional<ClockParams> params_at(uint64_t counter, double horizon_s) const;
  [[nodiscard]] EstimatorDiagnostics diagnostics() const;
  const EstimatorConfig& config() const { return config_; }
  // Whether the offset fit's copy of the stamps is in step with them (tests and fuzzing).
  bool fit_points_in_step() const { return fit_points_.mirrors(history_); }

  // Poll interval changed: windows and thresholds are recomputed, histories are kept.
  void set_poll(int poll_s);
  // Disruption (migration, counter jump, resume): forget everything and re-acquire. The last
  // period estimate is kept as a prior, so publication resumes after publish_after_reset
  // exchanges with a wide bound.
  void reset();
  // Warm start: forget everything and start from a period known from an earlier run (the
  // state file), bounded by `maxerror_rel`; publication starts as after reset().
  void seed_period(long double period_s, double maxerror_rel);

 private:
  struct Published {
    uint64_t anchor_counter = 0;
    long double anchor_s = 0;  // published time at the anchor, s since base
    long double local_period = 0;
    double esterror = 0;            // the fit's conservative 1σ (window scores, miss tests)
    double published_esterror = 0;  // the calibrated 1σ readers get
    double maxerror = 0;
    double period_esterror_rel = 0;  // of the local period (the fit's slope)
    double rate_bound = 0;           // line_rate_bound() when it was published
    bool first_of_run = false;       // drawn from the run's first stamp, at the prior period
  };

  enum class OffsetOutcome : uint8_t { Updated, KeptQuality, KeptSanity, Frozen };

  void start_run(long double prior_period, double prior_maxerror_rel, int publish_after);
  [[nodiscard]] std::optional<ClockParams> compute_params() const;
  // Variance of a published line's offset at its anchor (s²), before any level-shift bias.
  [[nodiscard]] double line_variance(const Published& p) const;
  [[nodiscard]] OffsetOutcome update_offset(uint64_t index, bool qual_warning);
  // RADclock's offset sanity limit for stamp s; sets `predicted`, the published line's offset
  // of Cu at s.tf. Requires published_.
  [[nodiscard]] long double offset_limit(const estimator::Stamp& s, long double& predicted) const;
  // The stamp's hard interval misses the prediction by more than the limit (server step).
  [[nodiscard]] bool impossible(const estimator::Stamp& s, long double predicted, long double limit) const;
  void end_warmup();
  // The rate monitor's and the change-point test on a stamp's miss of the published line
  // (`age` s after its anchor, point error `e`); returns whether the stamp is a change point.
  bool observe_rate_change(const estimator::Stamp& s, uint64_t index, const Published& p, double miss,
                           double age, double e);
  [[nodiscard]] std::size_t default_fit_index() const;
  // Out of warm-up, the fits of the newest stamp are cut at a change point's hinge: the line
  // re-learns its rate, and its misses are followed apart as the warm-up's are.
  [[nodiscard]] bool relearning() const;
  // Bound on |true rate − p̂| (s per s): the measured one, or p̂'s own bound while wider.
  [[nodiscard]] double rate_bound() const;
  // Bound on the rate error of a published line with slope `local_period` (s per s).
  [[nodiscard]] double line_rate_bound(long double local_period) const;

  EstimatorConfig config_;
  EstimatorDiagnostics diag_;  // its Durations are filled from diag_seconds_ by diagnostics()
  // The diagnostics' durations in seconds: a long double to 64.64 conversion costs more than
  // most steps of add(), and nothing on the exchange path reads them.
  struct {
    long double offset = 0, min_rtt = 0, last_offset_jump = 0;
  } diag_seconds_;
  mutable std::optional<ClockParams> params_;  // compute_params(), unless stale
  mutable bool params_stale_ = true;
  int poll_s_ = 16;
  estimator::Windows windows_;
  estimator::Thresholds thresholds_;
  estimator::History<estimator::Stamp> history_;
  estimator::FitPoints fit_points_;  // the offset fit's copy of history_, synced in add()
  estimator::RttFilter rtt_;
  estimator::PeriodEstimator period_;
  estimator::FitWindows fit_windows_;
  estimator::WindowSelector selector_;
  estimator::RateMonitor rates_;
  estimator::InnovationVariance innovations_;  // of the published line, after warm-up
  // In warm-up (dropped at its end) and after a change point while the hinge holds.
  estimator::InnovationVariance warmup_innovations_;
  estimator::ShiftAsymmetry shift_asymmetry_;
  estimator::HoldoverVariance holdover_;  // of lines extrapolated for long, after warm-up
  // The first stamp after the latest upward level shift: fits do not reach before it (the
  // path's asymmetry may have changed with it, and a line across the change takes the
  // offset's jump for a rate).
  uint64_t after_shift_ = 0;
  // The last change point (a miss of the published line no noise explains: the rate stepped);
  // 0: none in this run. The fits start from the stamp before it, the hinge.
  uint64_t change_at_ = 0;
  uint64_t hinge() const { return change_at_ > 0 ? change_at_ - 1 : 0; }
  bool hinge_in_force(uint64_t index) const;
  bool passes_quality(const estimator::LineFit& f) const;
  double typical_error_ = -1;  // running median of the stamps' point error E (s); <0: none yet
  std::array<estimator::LineFit, estimator::kMaxFitWindows> fits_{};  // the windows', then the filters'
  // The recursive candidates (kalman_line.hpp), restarted from the published line whenever
  // the fits restart (a new run, a level shift, a change point).
  static constexpr std::size_t kMaxKalmanLines = 8;
  std::array<estimator::KalmanLine, kMaxKalmanLines> kalman_{};
  std::size_t kalman_count_ = 0;
  uint64_t kalman_after_shift_ = 0;
  uint64_t kalman_change_at_ = 0;
  double kalman_shift_sigma_ = 0;  // half the latest upward shift's rise (s)
  double kalman_step_rate_ = 0;    // the rate step the latest change point's miss shows
  // Feeds the stamp to the filters, writes their lines after the windows' in fits_, and
  // returns the number of candidates.
  std::size_t update_kalman_lines(const estimator::Stamp& s, bool use, double slope_prior);
  std::size_t default_fit_ = 0;  // candidate used until the scores mean something
  estimator::UncorrectedClock clock_;

  // The current run (since construction or reset).
  UtcTime base_time_;
  bool have_base_ = false;
  bool warmup_ = true;
  int publish_after_ = 8;
  uint64_t last_ta_ = 0;
  uint64_t last_tf_ = 0;
  double spacing_s_ = 0;  // the stamps' recent spacing (s); 0 until two
  ServerInfo last_server_;
  std::optional<Published> published_;
  uint64_t last_good_offset_tf_ = 0;
};

}  // namespace ffclock::core
