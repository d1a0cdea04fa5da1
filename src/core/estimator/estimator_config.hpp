// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Estimator parameters with RADclock's defaults ("good" temperature quality preset of
// sync_algo.h). Each field names the RADclock constant it mirrors; fields without one are
// ffclock additions, documented where they are used.

#include <cstdint>

namespace ffclock::core {

struct EstimatorConfig {
  long double nominal_period_s = 1e-9L;  // initial p̂ (from the counter's nominal rate)
  int poll_s = 16;                       // expected exchange interval (RADclock: poll_period)
  double ts_limit_s = 15e-6;             // δ: RADclock's TS_LIMIT
  double skm_scale_s = 1024;             // SKM scale τ* (SKM_SCALE, good); sets offset_win
  double rate_err_bound = 0.5e-6;        // RATE_ERR_BOUND (good): the floor of the rate bound
  int offset_ratio = 6;                  // OFFSET_RATIO: Eoffset = offset_ratio · δ
  int burst = 8;                         // NTP_BURST: exchanges before the first publication

  // Windows (RADclock's set_algo_windows).
  double top_window_s = 604800;  // TOP_WINDOW: min-RTT forgetting horizon (1 week)
  double shift_window_s = 1500;  // shift_win = max(shift_window_s / poll, shift_window_min)
  int shift_window_min = 100;    // (RADclock hard-codes 100 stamps)
  // ffclock: a shift far beyond the path's usual queueing is proven sooner: the minimum RTT of
  // the last shift_quick_stamps above RTT̂ by shift_quick_ratio · typical point error (and
  // at least the shift threshold). 0 stamps turns it off.
  int shift_quick_stamps = 16;
  double shift_quick_ratio = 20;
  int plocal_window_ratio = 5;  // plocal_win = ratio · offset_win (RADclock: 5)
  int warmup_window_min = 100;  // warmup_win floor (RADclock: 100)
  // ffclock: the two stamp floors above steady RADclock's statistics at its polls (16-64 s),
  // but at long polls they span days (100 stamps at 1024 s: 28 h of warm-up, and an upward
  // level shift accepted a day late). Each floor covers at most window_floor_span_s of
  // stamps, and never fewer than window_floor_min_stamps. At polls up to 64 s nothing changes.
  double window_floor_span_s = 6400;
  int window_floor_min_stamps = 16;

  // insane_bidir_stamp: a round trip shorter than this many counts is impossible.
  uint64_t min_rtt_ticks = 120;

  // ffclock additions for honest bounds and fast re-acquisition.
  // Bound on |nominal period error| before any estimate (crystal / CPUID tolerance).
  double nominal_period_maxerror_rel = 500e-6;
  // Bound on the period error right after reset() (migration to a host whose counter may run
  // at a slightly different rate); the last known p̂ is kept as the prior.
  double reset_period_maxerror_rel = 50e-6;
  // After reset() with a known period, publish from this many exchanges (IMC'04: Ca from
  // the first packet) instead of waiting for `burst`.
  int publish_after_reset = 1;

  // Offset/local-rate line fit (replaces RADclock's θ̂ average over the SKM window and the
  // local period between far and near windows; see offset_fit.hpp, window_selector.hpp).
  // Candidate windows run from fit_window_min to fit_window_max stamps; the one that best
  // predicted recent stamps is used, so wandering oscillators get short windows and noisy
  // paths long ones. (256 before the Kalman candidates below, whose quietest one forgets over
  // hours and takes the longest windows' part: 128 measured the same over every scenario,
  // geometric mean 1.0001, congested 13.84 -> 14.05 µs, lanjit-poll64 16.58 -> 16.33, and
  // halves the fits' pass over the history.)
  int fit_window_min = 4;
  int fit_window_max = 128;
  // E0 of the stamp weights 1/(E² + E0²): the stamp noise left when the RTT is at its
  // minimum (timestamping, RTT̂'s own queueing). Smaller values trust min-RTT stamps more.
  double offset_weight_floor_s = 15e-6;
  // Stamps whose point error E exceeds max(offset_quality, offset_cut_ratio · typical E) get no
  // weight (RADclock's Gaussian cut, made relative to the path): their offsets are biased by
  // whatever asymmetry the extra delay has, and many of them (an upward level shift before
  // it is detected, a congestion episode) must not outvote the good ones. "Typical E" is a
  // running median, moving by typical_error_gain of itself per stamp, so that a persistent
  // rise takes about a shift window to be accepted as the path's new normal.
  double offset_cut_ratio = 3;
  double typical_error_gain = 0.02;
  // A run's first typical_error_median_stamps stamps take the median of their E instead (at
  // most kMaxMedianStamps): the running median would start from the first stamp's E, 0.
  static constexpr int kMaxMedianStamps = 64;
  int typical_error_median_stamps = 32;
  // On top of the inverse-variance weight, a soft Gaussian cut exp(−(E/Es)²) with
  // Es = max(2·offset_weight_floor_s, offset_soft_ratio · typical E): stamps well above the
  // typical E carry the bias of asymmetric queues (wan: 1 ms vs 0.5 ms), so they count less
  // than their variance alone says. Measured on the reference scenarios: 0.7 (wan 89 → 71 µs).
  double offset_soft_ratio = 0.7;
  // Publish the local period (the offset fit's slope) as the difference clock's period
  // instead of the long-term p̂. Measured on lan: rate error RMS 114 ppb with p̂ (the
  // oscillator wanders away from its long-run average), see README.
  bool difference_clock_uses_local_period = true;
  // σ of the prior on the fit's slope (the published local rate, relative): how far the
  // oscillator's rate may have moved since. Short windows lean on it, long ones on the data.
  // This is the value at a 16 s poll; it scales as √(16 s / poll), so that at longer polls,
  // with fewer stamps per window span, the prior holds the slopes tighter. Measured over
  // every simulator scenario: 160 ppb (it was 100 at every poll) improved 30 rows (thermal-fast
  // 5.07 -> 4.33 µs, lanjit 8.30 -> 8.03, congested 15.6 -> 15.3, poll-64 rows 2-3 %) and
  // cost at most 1.7 % on six (wan 71.2 -> 71.6).
  double slope_prior_sigma = 160e-9;
  // Forgetting time constant (in stamps) of the window scores: long enough to average path
  // noise out of the comparison, short enough to follow a change of conditions.
  double window_score_memory = 128;
  // The published line mixes the candidate windows, weighted by
  // exp(−window_mix_sharpness · (score / best score − 1)) (window_selector.hpp); 0 = the
  // best-scored window alone.
  double window_mix_sharpness = 10;
  // Adaptive rate bound (rate_monitor.hpp): the rate gates derive from
  // max(rate_err_bound, rate_bound_margin · envelope), the envelope being the largest local-rate
  // departure from p̂ the fits prove (|slope| − rate_evidence_z · σ, windows of at least
  // rate_evidence_min_stamps stamps), forgotten over rate_memory_s.
  double rate_bound_margin = 1.5;
  double rate_evidence_z = 3;
  int rate_evidence_min_stamps = 8;
  double rate_memory_s = 86400;
  // A stamp missing the published line by more than E/2 + rate_change_z · σ proves a rate move
  // (rate_monitor.hpp); σ combines offset_weight_floor_s/√12 and the line's own 1σ.
  double rate_change_z = 3;
  // A stamp missing the published line by more than E/2 + change_point_z · σ, σ the line's
  // published 1σ at that age (with the floor), is a change point: the rate stepped since the
  // line's last stamp, and the fits restart at the stamp before it (0 = never).
  double change_point_z = 6;
  // The published esterror is never below the error the line's misses of new stamps show
  // (innovation_variance.hpp): stamps with E up to innovation_select_ratio · typical E,
  // forgotten over innovation_memory stamps (the window scores' memory); the growth with age
  // is fitted when the stamps' squared ages spread by innovation_age_spread of their mean.
  // Up to the typical E (twice it before the stamps' intervals): with the line now better than
  // most stamps' own scatter, the misses must come from stamps whose split model matters
  // least (pareto's esterror ratio 0.62 -> 0.78, within-3σ better on most rows).
  double innovation_memory = 128;
  double innovation_select_ratio = 1;
  double innovation_age_spread = 0.1;
  // In warm-up the line's misses are followed apart, over warmup_innovation_memory stamps, and
  // raise the 1σ up to warmup_innovation_max_ratio times the fit's own (the first misses, when
  // p̂ is still coarse, would otherwise dominate for an hour). Measured over every simulator
  // scenario: congested-poll64 and pareto-thermal then meet the esterror targets in their
  // first hours (within-3σ 0.987 -> 0.995, 0.981 -> 0.990); warm-start, whose p̂ is known
  // from the start, gets a 1σ too wide (ratio 0.84 -> 0.58).
  double warmup_innovation_memory = 16;
  double warmup_innovation_max_ratio = 2;
  // A line extrapolated for long (an outage, a backed-off poll) errs by more than its linear
  // growth says (holdover_variance.hpp): one published line per holdover_snapshot_s is kept,
  // and later lines measure how far the kept ones missed them at 256 s to 8192 s, forgotten
  // over holdover_memory_s. params_at() grows the esterror by that measure.
  double holdover_snapshot_s = 128;
  double holdover_memory_s = 86400;
  // Recursive candidates beside the fit windows (kalman_line.hpp): kalman_candidates Kalman
  // filters of time and rate, assuming random walks of the frequency of kalman_wander_min
  // (relative σ per √s), then kalman_wander_step times more each: 0.3 to 30 ppb/√s, from a
  // quiet crystal to a thermal swing of a few ppm per hour. The window scores weigh them
  // with the windows; each learns the scale of its own 1σ over kalman_scale_memory stamps or
  // kalman_scale_memory_s seconds, whichever is shorter: 1 024 stamps at a 16 s poll, 16 at
  // 1 024 s. Over 64 stamps (before) the scale's sampling noise moved the 1σ by a quarter
  // from hour to hour, uncorrelated with the error, and `lanjit`, `congested`, `thermal-day`
  // went past 3σ in 1.1–1.5 % of seconds on some seeds; a day (86 400 s) gave the same counts
  // but left `lan-maxpoll1024`'s ratio at 0.74 (README).
  // 0 candidates: the windows alone. Measured over every simulator scenario (README):
  // 3 candidates a decade apart gave most of the gain; 5 at √10 (these) a little more, and a
  // 300 ppb/√s one made the congested rows worse.
  int kalman_candidates = 5;
  double kalman_wander_min = 3e-10;
  double kalman_wander_step = 3.1623;
  double kalman_scale_memory = 1024;
  double kalman_scale_memory_s = 16384;
  // The offset the stamps prove (offset_interval.hpp): the published θ̂ becomes the mean of the
  // line's normal (σ its published 1σ) truncated to the intersection of the last
  // interval_stamps stamps' ±E/2 intervals, carried along the line with a slack of
  // interval_slack_s (a server's timestamp noise: chronyd randomises the bits below its
  // precision, about 0.5 µs) + z·σ(age), σ(age) from the line's rate 1σ and a random walk
  // of the frequency of interval_wander (relative σ per √s, a typical crystal), z =
  // interval_rate_z. 0 stamps: off. Measured over every simulator scenario (README):
  // geometric mean of the RMS 0.90×, no row worse; z 0.5 and 2, 16 and 64 stamps, wander
  // 0.3 and 3 ppb/√s all within 4 % of it.
  int interval_stamps = 32;
  double interval_slack_s = 1e-6;
  double interval_rate_z = 1;
  double interval_wander = 1e-9;
};

}  // namespace ffclock::core
