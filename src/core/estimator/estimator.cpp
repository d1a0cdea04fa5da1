// SPDX-License-Identifier: BSD-2-Clause
// The estimator's pipeline: admission, histories, RTT filter, period, local period, offset,
// bounds, publication. Each step is in its own module; this file only sequences them.
#include "core/estimator/estimator.hpp"

#include <algorithm>
#include <cmath>

#include "core/estimator/exchange_checks.hpp"
#include "core/estimator/offset_estimator.hpp"
#include "core/estimator/offset_fit.hpp"
#include "core/estimator/offset_interval.hpp"

namespace ffclock::core {

using estimator::Stamp;

Estimator::Estimator(const EstimatorConfig& config) : config_(config), poll_s_(std::max(1, config.poll_s)) {
  windows_ = estimator::make_windows(config_, poll_s_);
  history_.resize(windows_.capacity);
  fit_points_.resize(windows_.capacity);
  fit_windows_ = estimator::make_fit_windows(static_cast<uint32_t>(std::max(1, config_.fit_window_min)),
                                             static_cast<uint32_t>(windows_.fit));
  default_fit_ = default_fit_index();
  selector_.start(config_.window_score_memory);
  start_run(config_.nominal_period_s, config_.nominal_period_maxerror_rel, config_.burst);
}

void Estimator::start_run(long double prior_period, double prior_maxerror_rel, int publish_after) {
  history_.clear();
  after_shift_ = 0;
  change_at_ = 0;
  thresholds_ = estimator::make_thresholds(config_);
  period_.start(prior_period, prior_maxerror_rel);
  // A new run may be a new oscillator (migration): its variability is learned afresh.
  estimator::RateMonitorConfig rc;
  rc.floor = config_.rate_err_bound;
  rc.margin = config_.rate_bound_margin;
  rc.z = config_.rate_evidence_z;
  rc.min_stamps = static_cast<uint32_t>(std::max(2, config_.rate_evidence_min_stamps));
  rc.memory_s = config_.rate_memory_s;
  rc.transient_memory_s = config_.skm_scale_s;
  rates_.start(rc);
  estimator::InnovationVarianceConfig ic;
  ic.memory = config_.innovation_memory;
  ic.select_ratio = config_.innovation_select_ratio;
  ic.floor_s = config_.offset_weight_floor_s;
  ic.age_spread = config_.innovation_age_spread;
  innovations_.start(ic);
  ic.memory = config_.warmup_innovation_memory;
  warmup_innovations_.start(ic);
  shift_asymmetry_.reset();
  estimator::HoldoverVarianceConfig hc;
  hc.snapshot_s = config_.holdover_snapshot_s;
  hc.memory_s = config_.holdover_memory_s;
  holdover_.start(hc);
  kalman_count_ =
      static_cast<std::size_t>(std::clamp(config_.kalman_candidates, 0, static_cast<int>(kMaxKalmanLines)));
  double wander = config_.kalman_wander_min;
  for (std::size_t j = 0; j < kalman_count_; ++j, wander *= config_.kalman_wander_step)
    kalman_[j].start(wander, config_.kalman_scale_memory, config_.kalman_scale_memory_s);
  kalman_after_shift_ = 0;
  kalman_change_at_ = 0;
  selector_.remember(fits_, 0, 0, clock_);  // lines of the old run predict nothing now
  clock_ = estimator::UncorrectedClock(0, prior_period);
  have_base_ = false;
  warmup_ = true;
  publish_after_ = std::max(1, publish_after);
  published_.reset();
  last_good_offset_tf_ = 0;
  spacing_s_ = 0;
  diag_.warming_up = true;
  params_stale_ = true;
}

void Estimator::reset() {
  // The local period is the most recent rate; the bound widens for a possible change of host.
  const long double prior = published_ ? published_->local_period : period_.period();
  const double bound = std::max(config_.reset_period_maxerror_rel, period_.maxerror_rel());
  // The old path's window scores and typical point error say nothing about the new one.
  selector_.start(config_.window_score_memory);
  typical_error_ = -1;
  start_run(prior, bound, config_.publish_after_reset);
}

void Estimator::seed_period(long double period_s, double maxerror_rel) {
  start_run(period_s, maxerror_rel, config_.publish_after_reset);
}

void Estimator::set_poll(int poll_s) {
  poll_s_ = std::max(1, poll_s);
  windows_ = estimator::make_windows(config_, poll_s_);
  history_.resize(windows_.capacity);
  fit_points_.resize(windows_.capacity);
  fit_points_.sync_all(history_);
  default_fit_ = default_fit_index();
  params_stale_ = true;
}

std::size_t Estimator::default_fit_index() const {
  // Until the window scores mean something, RADclock's SKM scale in stamps.
  const double want = config_.skm_scale_s / poll_s_;
  std::size_t k = 0;
  while (k + 1 < fit_windows_.count && fit_windows_.length[k + 1] <= want) ++k;
  return k;
}

EstimatorDiagnostics Estimator::diagnostics() const {
  EstimatorDiagnostics d = diag_;
  d.offset = Duration::from_seconds(diag_seconds_.offset);
  d.min_rtt = Duration::from_seconds(diag_seconds_.min_rtt);
  d.last_offset_jump = Duration::from_seconds(diag_seconds_.last_offset_jump);
  return d;
}

double Estimator::rate_bound() const { return std::max(rates_.rate_bound(), period_.maxerror_rel()); }

double Estimator::line_rate_bound(long double local_period) const {
  // p̂ is within rate_bound() of the true rate and the line's slope is |1 − local/p̂| from p̂.
  return rate_bound() + static_cast<double>(std::fabs(1 - local_period / clock_.period()));
}

ExchangeVerdict Estimator::add(const Exchange& ex) {
  params_stale_ = true;
  const estimator::PreviousCounters prev{last_ta_, last_tf_, !history_.empty()};
  const estimator::Admission admission =
      estimator::admit(ex, prev, config_.min_rtt_ticks, clock_.period(), rate_bound());
  if (admission != estimator::Admission::Ok) {
    ++diag_.rejected;
    diag_.last_verdict = admission == estimator::Admission::BadServer ? ExchangeVerdict::RejectedServer
                                                                      : ExchangeVerdict::RejectedInsane;
    return diag_.last_verdict;
  }
  const bool qual_warning = !history_.empty() && estimator::server_changed(last_server_, ex.server);
  last_server_ = ex.server;
  if (!history_.empty()) {
    // The stamps' spacing, over the last few: the ages readers read the line at.
    const auto gap = static_cast<double>(clock_.period() * static_cast<long double>(ex.tf - last_tf_));
    spacing_s_ = spacing_s_ > 0 ? spacing_s_ + (gap - spacing_s_) / 8 : gap;
  }
  last_ta_ = ex.ta;
  last_tf_ = ex.tf;
  if (!have_base_) {
    base_time_ = ex.tb;
    clock_ = estimator::UncorrectedClock(ex.ta, period_.period());
    have_base_ = true;
  }

  Stamp s;
  s.ta = ex.ta;
  s.tf = ex.tf;
  s.set_server_times((ex.tb - base_time_).to_seconds_ld(), (ex.te - base_time_).to_seconds_ld());
  s.rtt = ex.tf - ex.ta;
  s.qual_warning = qual_warning;
  const uint64_t i = history_.end();
  history_.push(s);
  ++diag_.exchanges;
  if (i == 0) rtt_.start(s, i);

  estimator::RttFilter::ShiftTest shift{static_cast<uint64_t>(thresholds_.shift / clock_.period()), 0, 0};
  if (typical_error_ >= 0 && config_.shift_quick_stamps > 0) {
    shift.quick_stamps = static_cast<uint64_t>(config_.shift_quick_stamps);
    shift.quick_ticks = static_cast<uint64_t>(
        std::max(thresholds_.shift, config_.shift_quick_ratio * typical_error_) / clock_.period());
  }
  const uint64_t rtt_before = rtt_.rtt_hat();
  const auto rtt_update = rtt_.add(history_, i, windows_, !warmup_, shift);
  if (rtt_update.shifted_up) {
    ++diag_.level_shifts_up;
    after_shift_ = rtt_update.after_shift;
    shift_asymmetry_.shifted_up(rtt_before, rtt_.rtt_hat());
    kalman_shift_sigma_ =
        static_cast<double>(clock_.period() * static_cast<long double>(rtt_.rtt_hat() - rtt_before)) / 2;
  } else {
    shift_asymmetry_.rtt(rtt_.rtt_hat());
  }
  // Offset weights depend on RTT̂, so a shift rewrites them with it (at most the shift window).
  uint64_t reweigh = rtt_update.shifted_up ? std::min(windows_.shift, windows_.offset) : 1;
  const double e = static_cast<double>(clock_.point_error(history_.at(i)));
  // The run's first stamps: the median of their E itself. The running median cannot start
  // there: the first stamp sets RTT̂, so its E is 0, and climbing from the weight floor at
  // typical_error_gain per stamp took ~200 stamps to reach a congested path's typical E, while
  // the cut gave every stamp but the burst's no weight (congested-poll64, seed 4: the line
  // kept a slope from the 2 s burst for 2 h, 1 ppm off, errors to 1 ms). Their weights are
  // redrawn with it.
  const auto median_stamps = static_cast<uint64_t>(
      std::clamp(config_.typical_error_median_stamps, 0, EstimatorConfig::kMaxMedianStamps));
  const bool young = i < median_stamps;
  if (young) {
    std::array<double, EstimatorConfig::kMaxMedianStamps> es{};
    const auto n = static_cast<std::ptrdiff_t>(i + 1 - history_.begin());
    for (std::ptrdiff_t j = 0; j < n; ++j)
      es[static_cast<std::size_t>(j)] =
          static_cast<double>(clock_.point_error(history_.at(i - static_cast<uint64_t>(j))));
    std::nth_element(es.begin(), es.begin() + n / 2, es.begin() + n);
    typical_error_ = es[static_cast<std::size_t>(n / 2)];
    reweigh = std::max<uint64_t>(reweigh, i + 1);
  } else if (typical_error_ < 0) {
    typical_error_ = e;
  } else {
    const double step = config_.typical_error_gain * std::max(typical_error_, config_.offset_weight_floor_s);
    typical_error_ += e > typical_error_ ? step : -std::min(step, typical_error_);
  }
  const double cut = std::max(thresholds_.offset_quality, config_.offset_cut_ratio * typical_error_);
  const double soft = config_.offset_soft_ratio > 0 ? std::max(2 * config_.offset_weight_floor_s,
                                                               config_.offset_soft_ratio * typical_error_)
                                                    : 0.0;
  for (uint64_t j = std::max(history_.begin(), i + 1 - std::min<uint64_t>(reweigh, i + 1)); j <= i; ++j)
    history_.at(j).weight =
        estimator::stamp_weight(history_.at(j), clock_, config_.offset_weight_floor_s, cut, soft);

  // Exclusion is decided before p̂ sees the stamp: a stamp no fit may use must not feed p̂.
  if (published_) {
    long double predicted = 0;
    const long double limit = offset_limit(history_.at(i), predicted);
    if (impossible(history_.at(i), predicted, limit)) history_.at(i).excluded = true;
  }
  // The fit's copy: the new stamp, and those an upward shift gave a new RTT̂ and weight (at
  // most the offset window, the larger of the two rewrites).
  uint64_t rewritten = rtt_update.shifted_up ? std::max<uint64_t>(1, windows_.offset) : 1;
  if (young) rewritten = std::max<uint64_t>(rewritten, i + 1);
  fit_points_.sync(history_, std::max(history_.begin(), i + 1 - std::min(rewritten, i + 1)), i);
  bool period_rejected = false;
  if (warmup_) {
    const uint64_t width = std::min<uint64_t>(windows_.wwidth, 1 + i / 4);  // grows by 1 every 4 stamps
    if (!qual_warning) {
      const auto outcome = period_.add_warmup(history_, 0, i, width, clock_, thresholds_);
      period_rejected = outcome == estimator::PeriodOutcome::RejectedSanity;
    }
  } else {
    if (rtt_update.forgot) period_.set_reference(rtt_.next_best());
    const auto outcome = period_.add_full(history_.at(i), clock_, thresholds_);
    period_rejected = outcome == estimator::PeriodOutcome::RejectedSanity;
  }
  if (period_rejected) ++diag_.period_sanity_rejects;
  if (period_.period() != clock_.period()) clock_.set_period(period_.period(), s.tf);

  const OffsetOutcome offset = update_offset(i, qual_warning);
  if (warmup_ && i + 1 >= windows_.warmup) end_warmup();

  diag_.min_rtt_ticks = rtt_.rtt_hat();
  diag_seconds_.min_rtt = clock_.period() * static_cast<long double>(rtt_.rtt_hat());
  diag_.warming_up = warmup_;
  if (qual_warning) {
    ++diag_.server_changes;
    diag_.last_verdict = ExchangeVerdict::ServerChanged;
  } else if (offset != OffsetOutcome::Updated) {
    diag_.last_verdict = ExchangeVerdict::KeptOldOffset;
  } else if (period_rejected) {
    diag_.last_verdict = ExchangeVerdict::KeptOldPeriod;
  } else {
    diag_.last_verdict = warmup_ ? ExchangeVerdict::UsedWarmUp : ExchangeVerdict::Used;
  }
  return diag_.last_verdict;
}

void Estimator::end_warmup() {
  period_.end_warmup(history_, 0, windows_.wwidth);
  thresholds_ =
      estimator::calibrate_thresholds(config_, clock_.period() * static_cast<long double>(rtt_.rtt_hat()));
  estimator::apply_rate_bound(thresholds_, rates_.rate_bound());
  warmup_ = false;
}

long double Estimator::offset_limit(const Stamp& s, long double& predicted) const {
  const Published& p = *published_;
  const long double since_anchor = static_cast<long double>(static_cast<int64_t>(s.tf - p.anchor_counter));
  predicted = clock_.at(s.tf) - (p.anchor_s + since_anchor * p.local_period);
  const long double gap = clock_.period() * static_cast<long double>(s.tf - last_good_offset_tf_);
  // The published line may be far older than p̂'s current precision: a line drawn with
  // the nominal period drifts at up to that period's error, and candidates must be able to
  // catch up with it, or the clock locks out (large rate error × long poll).
  const double line_rate = std::max(rate_bound(), p.rate_bound);
  return thresholds_.offset_sanity_min + (thresholds_.offset_sanity_rate + line_rate) * gap;
}

bool Estimator::impossible(const Stamp& s, long double predicted, long double limit) const {
  // A stamp whose own hard interval (naive offset ± half RTT) misses the published line's
  // (its maxerror, grown at its rate bound since the anchor) by more than the limit is a server
  // step or falseticker: it must not pull any fit window, nor p̂. Two honest intervals meet.
  // (Against the line's centre alone, a first stamp on a queueing spike set a line off by half
  // the spike and every later stamp was excluded until the limit opened: congested, seed 8,
  // an hour 100 ppm off, the fits and p̂ starved.)
  // (Called, like offset_limit(), only once a line is published.)
  const Published& p = *published_;
  const long double age =
      clock_.period() * static_cast<long double>(static_cast<int64_t>(s.tf - p.anchor_counter));
  const long double miss = std::fabs(clock_.naive_offset(s) - predicted) -
                           estimator::half_rtt_bound(s, clock_.period(), rate_bound()) -
                           (p.maxerror + std::fabs(age) * p.rate_bound);
  return miss > limit;
}

bool Estimator::observe_rate_change(const Stamp& s, uint64_t index, const Published& p, double miss,
                                    double age, double e) {
  // Does the stamp's miss of the published line prove that the rate moved? (Not in warm-up:
  // the line then still learns p̂, and misses say more about p̂ than about the oscillator.)
  const double line_sigma = std::hypot(p.esterror, age * p.period_esterror_rel);
  const double noise = std::hypot(config_.offset_weight_floor_s / std::sqrt(12.0), line_sigma);
  const double tolerance = e / 2 + config_.rate_change_z * noise;
  if (rates_.observe_innovation(miss, tolerance, age,
                                static_cast<double>(1 - p.local_period / clock_.period()),
                                static_cast<double>(clock_.at(s.tf)), period_.maxerror_rel())) {
    ++diag_.rate_changes;
  }
  // A change point: a miss far beyond what the stamp's queueing (E/2) and the line's own
  // published error at that age explain. The oscillator's rate stepped since the line's last
  // stamp; a run of two misses (above) would take a poll more, and a line over hours of
  // stamps from before the step would take many. The fits restart at the stamp before it
  // (the hinge: the old line holds up to there), so the line follows from this stamp on.
  const double floor_sigma = config_.offset_weight_floor_s / std::sqrt(12.0);
  const double rate_sigma = std::max(p.period_esterror_rel, std::sqrt(innovations_.rate_variance()));
  const double published_sigma = std::hypot(floor_sigma, std::sqrt(line_variance(p)), age * rate_sigma);
  const bool change_point = config_.change_point_z > 0 && index > history_.begin() &&
                            std::fabs(miss) > e / 2 + config_.change_point_z * published_sigma;
  if (change_point) {
    change_at_ = index;
    // The line re-learns its rate from the stamps after the step: its misses until the
    // hinge lapses are followed apart (as the warm-up's are), not averaged into the steady
    // state's, where they held the 1σ at twice the error for two hours after the step.
    warmup_innovations_.clear();
    kalman_step_rate_ = std::fabs(miss) / std::max(age, 1.0);
    ++diag_.change_points;
  }
  return change_point;
}

Estimator::OffsetOutcome Estimator::update_offset(uint64_t index, bool qual_warning) {
  Stamp& s = history_.at(index);
  long double predicted = 0;  // where the published line puts Cu's offset at s.tf
  long double limit = 0;      // how far a new offset may be from it (RADclock's Eoffset_sanity)
  // (s.excluded was decided in add(), before p̂ saw the stamp.)
  if (published_) limit = offset_limit(s, predicted);
  if (published_ && !s.excluded && !qual_warning) {
    const Published& p = *published_;
    const double miss = static_cast<double>(clock_.naive_offset(s) - predicted);
    const double age =
        static_cast<double>(clock_.period() * static_cast<long double>(s.tf - p.anchor_counter));
    const auto e = static_cast<double>(clock_.point_error(s));
    const bool change_point = !warmup_ && observe_rate_change(s, index, p, miss, age, e);
    // The change point's miss is the step, not the error of a line that follows it. Misses in
    // warm-up are kept apart (the line then also learns p̂, and they say little of the
    // steady state) but count while it lasts: the fit's 1σ alone was half the error then.
    // E is measured from RTT̂, itself above the path's minimum by about the gap between the
    // two lowest RTTs: the stamp's offset spreads over ±(E + gap)/2, not ±E/2. (Right after
    // an upward shift the second lowest is any later RTT: half the typical E at most.)
    const double gap =
        std::min(static_cast<double>(clock_.period() * static_cast<long double>(rtt_.rtt_gap())),
                 0.5 * std::max(typical_error_, 0.0));
    // The run's first line is one stamp at the prior period: its miss measures the prior's
    // rate error (100 ppm from a nominal period), not the line's, and held the warm-up 1σ at
    // its cap for half an hour.
    if (typical_error_ >= 0 && !change_point && !(warmup_ && p.first_of_run))
      (warmup_ || relearning() ? warmup_innovations_ : innovations_)
          .observe(miss, e + gap, typical_error_, age);
  }
  if (!s.excluded && !qual_warning) {
    // Score weight 1/(var_new + P²), P² the published prediction variance: comparing
    // candidates, a stamp much better than the predictions adds no more information, so a
    // handful of min-RTT stamps must not dominate the scores.
    const double w = s.weight;
    const double p2 = published_ ? published_->esterror * published_->esterror : 0.0;
    selector_.score(s, clock_, w > 0 ? 1 / (1 / w + p2) : 0.0);
  }

  const double prior_slope =
      published_ ? static_cast<double>(1 - published_->local_period / clock_.period()) : 0.0;
  // Before anything is published the prior is p̂ itself, as uncertain as p̂ is.
  // After a proven move of the rate, the prior allows it.
  const double slope_prior = config_.slope_prior_sigma * std::sqrt(16.0 / poll_s_);
  const double prior_sigma = published_ ? std::max(slope_prior, rates_.line_departure())
                                        : std::max(slope_prior, period_.esterror_rel());
  // Windows cut at a change point's hinge fit a slope from any two stamps: the few stamps
  // since the step are all there is to the new rate (the prior still weighs in).
  const uint64_t fit_start = std::max(history_.begin(), after_shift_);
  estimator::fit_windows(history_, fit_points_, std::max(fit_start, hinge()), index, clock_, prior_slope,
                         prior_sigma, config_.offset_weight_floor_s, fit_windows_, hinge() > fit_start,
                         fits_);
  const std::size_t candidates = update_kalman_lines(s, !s.excluded && !qual_warning, slope_prior);
  // The fits show how far the local rate has moved from p̂; every rate gate follows.
  rates_.observe(fits_, fit_windows_.count, static_cast<double>(clock_.at(s.tf)), period_.maxerror_rel());
  estimator::apply_rate_bound(thresholds_, rates_.rate_bound());
  diag_.rate_bound = rate_bound();
  diag_.rate_envelope = rates_.envelope();
  selector_.remember(fits_, candidates, s.tf, clock_);
  std::size_t k = selector_.choose(fits_, candidates, default_fit_, fit_windows_);
  // RADclock's quality gate: some stamp of the window must be good; else a longer window.
  while (k < candidates && !passes_quality(fits_[k])) ++k;
  if (k == candidates) {
    ++diag_.offset_quality_rejects;
    return OffsetOutcome::KeptQuality;
  }
  // Local-period sanity (RADclock's Eplocal_sanity, as a clamp): the local rate stays within
  // plocal_sanity of p̂. A wild slope from a few noisy stamps would otherwise drift the
  // published clock away faster than the offset sanity limit opens, locking it out.
  // After a change point the clamp lets the line take the departure its misses proved, while
  // the fits are cut at the hinge (the rate gates open only when a run of misses confirms it).
  double slope_limit = thresholds_.plocal_sanity;
  if (hinge_in_force(index))
    slope_limit = std::max(slope_limit, std::fabs(prior_slope) + rates_.line_departure());
  // The chosen window's line, mixed with its rivals by their scores (window_selector.hpp);
  // only windows that pass the quality gate take part.
  estimator::LineFit chosen = fits_[k];
  if (config_.window_mix_sharpness > 0) {
    std::array<bool, estimator::kMaxFitWindows> usable{};
    for (std::size_t j = 0; j < candidates; ++j) usable[j] = passes_quality(fits_[j]);
    chosen = estimator::mix_fits(fits_, candidates,
                                 selector_.mix_weights(k, config_.window_mix_sharpness, usable), k);
  }
  estimator::LineFit fit =
      std::fabs(chosen.slope) <= slope_limit
          ? chosen
          : estimator::with_slope(chosen, std::clamp(chosen.slope, -slope_limit, slope_limit));
  if (s.excluded) {
    ++diag_.offset_sanity_rejects;
    return OffsetOutcome::KeptSanity;
  }
  const long double local_period = clock_.period() * (1 - static_cast<long double>(fit.slope));
  // The stamps' own intervals (offset_interval.hpp) pin the offset where the queues were
  // empty one way or the other; the line's estimate is moved to its mean inside them. Not
  // while the fits are cut at a change point: the line's new rate is then a few stamps old,
  // and the stamps carried along it would hold the line near the old one (worst error on
  // freq-step-congested 391 µs with them, 298 without).
  if (config_.interval_stamps > 0 && published_ && !hinge_in_force(index)) {
    const auto n = static_cast<uint64_t>(config_.interval_stamps);
    const uint64_t first = std::max({fit_start, hinge(), index + 1 > n ? index + 1 - n : 0});
    estimator::IntervalSlack slack;
    slack.constant_s = config_.interval_slack_s;
    slack.rate = config_.interval_rate_z * fit.slope_esterror;
    slack.wander = config_.interval_rate_z * config_.interval_wander;
    const estimator::OffsetInterval in = estimator::offset_interval(history_, first, index, clock_, fit.theta,
                                                                    local_period, rtt_.rtt_hat(), slack);
    fit.theta += estimator::truncated_normal(fit.published_esterror, in).mean;
  }
  if (published_) {
    const long double jump = fit.theta - predicted;
    diag_seconds_.last_offset_jump = jump;
    if (qual_warning) return OffsetOutcome::Frozen;
    if (std::fabs(jump) > limit) {
      ++diag_.offset_sanity_rejects;
      return OffsetOutcome::KeptSanity;
    }
    shift_asymmetry_.published(static_cast<double>(jump),
                               line_variance(*published_) + fit.published_esterror * fit.published_esterror,
                               static_cast<double>(clock_.period()));
  } else if (qual_warning) {
    return OffsetOutcome::Frozen;
  }
  Published p;
  p.anchor_counter = s.tf;
  p.anchor_s = clock_.at(s.tf) - fit.theta;
  p.local_period = local_period;
  p.esterror = fit.esterror;
  p.published_esterror = fit.published_esterror;
  p.period_esterror_rel = fit.slope_esterror;
  p.rate_bound = line_rate_bound(p.local_period);
  p.first_of_run = !published_;
  // Any stamp gives a hard bound; the chosen window (at least 16 stamps) holds the best ones
  // without a second pass over the whole history.
  const uint32_t window = fit_windows_.length[std::min(k, fit_windows_.count - 1)];
  const uint64_t reach = std::max<uint64_t>(16, window);
  const uint64_t first = std::max(history_.begin(), index + 1 > reach ? index + 1 - reach : 0);
  p.maxerror = static_cast<double>(estimator::offset_maxerror(
      history_, estimator::OffsetWindow{first, index}, clock_, fit.theta, p.local_period, p.rate_bound));
  published_ = p;
  if (!warmup_)
    holdover_.observe({p.anchor_counter, p.anchor_s, p.local_period},
                      p.published_esterror * p.published_esterror, clock_.period());
  last_good_offset_tf_ = s.tf;
  diag_seconds_.offset = fit.theta;
  diag_.fit_window = k < fit_windows_.count ? window : 0;
  return OffsetOutcome::Updated;
}

std::size_t Estimator::update_kalman_lines(const Stamp& s, bool use, double slope_prior) {
  const std::size_t windows = fit_windows_.count;
  const std::size_t count = std::min(kalman_count_, estimator::kMaxFitWindows - windows);
  if (count == 0) return windows;
  if (published_) {
    const Published& p = *published_;
    // Where the fits restart (a new run, a level shift, a change point), the filters
    // restart from the published line. The first start allows the whole rate bound; a level
    // shift, the asymmetry's change (up to half the rise) in the offset but only the usual
    // prior on the rate (not the departure the shifted stamps' misses seemed to prove), or
    // the filters take the offset's jump for a rate, as a line across the shift would.
    const bool first = !kalman_[0].started();
    const bool shifted = after_shift_ != kalman_after_shift_;
    const bool stepped = change_at_ != kalman_change_at_;
    if (first || shifted || stepped) {
      double time_sigma = std::sqrt(line_variance(p));
      double rate_sigma = 0;
      if (first) {
        rate_sigma = std::max({p.period_esterror_rel, p.rate_bound / 3, rates_.line_departure()});
      } else if (shifted) {
        time_sigma = std::max(time_sigma, kalman_shift_sigma_);
        rate_sigma = std::max(p.period_esterror_rel, slope_prior);
      } else {
        // A change point: like the windows cut at the hinge, the filters restart from the
        // line before the step, with a rate free to take the step the miss shows.
        rate_sigma =
            std::max({p.period_esterror_rel, slope_prior, rates_.line_departure(), kalman_step_rate_});
      }
      for (std::size_t j = 0; j < count; ++j)
        kalman_[j].restart(p.anchor_counter, p.anchor_s, p.local_period, time_sigma, rate_sigma);
    }
    if (use && s.weight > 0) {
      const long double time_s = clock_.at(s.tf) - clock_.naive_offset(s);  // the server's time at Tf
      for (std::size_t j = 0; j < count; ++j) kalman_[j].update(s.tf, time_s, 1 / s.weight);
    }
    kalman_after_shift_ = after_shift_;
    kalman_change_at_ = change_at_;
  }
  // The filters' lines, with the longest window's best stamp for the quality gate.
  for (std::size_t j = 0; j < count; ++j) {
    estimator::LineFit& f = fits_[windows + j];
    f = kalman_[j].line(s.tf, clock_);
    f.min_error = fits_[windows - 1].min_error;
    f.valid = f.valid && fits_[windows - 1].valid;
  }
  return windows + count;
}

bool Estimator::hinge_in_force(uint64_t index) const {
  return change_at_ > 0 && index + 1 - hinge() < fit_windows_.length[fit_windows_.count - 1];
}

bool Estimator::relearning() const {
  return !warmup_ && history_.end() > history_.begin() && hinge_in_force(history_.end() - 1);
}

bool Estimator::passes_quality(const estimator::LineFit& f) const {
  // RADclock's quality gate: some stamp of the window must be good.
  return f.valid && f.min_error < thresholds_.offset_quality;
}

double Estimator::line_variance(const Published& p) const {
  // The fit's 1σ, or what the line's misses show when they show more.
  const double fit = p.published_esterror * p.published_esterror;
  // In warm-up, or while the line re-learns its rate after a change point, the misses then,
  // up to warmup_innovation_max_ratio times the fit's 1σ, and only by what they show beyond
  // their own standard error: over a 16-stamp memory the mean is noisy, and the larger of the
  // fit and a noisy figure is biased upwards (a lan cold start said 3 µs for 1 µs of error).
  const double ratio = config_.warmup_innovation_max_ratio;
  const double shown = warmup_innovations_.variance() - warmup_innovations_.variance_stderr();
  const double warmup = warmup_ || relearning() ? std::min(shown, ratio * ratio * fit) : 0.0;
  return std::max({fit, innovations_.variance(), warmup});
}

std::optional<ClockParams> Estimator::compute_params() const {
  if (!published_ || history_.end() < static_cast<uint64_t>(publish_after_)) return std::nullopt;
  const Published& p = *published_;
  ClockParams out;
  out.anchor_counter = p.anchor_counter;
  out.anchor_time = base_time_ + Duration::from_seconds(p.anchor_s);
  // The difference clock's period: RADclock's long-term p̂ is the best rate for a quiet
  // oscillator, but under wander (1 ppb/√s in the reference scenarios) its average over the
  // whole run is ~100 ppb off the current rate; the local line's slope follows it.
  out.period = CounterPeriod::from_seconds(config_.difference_clock_uses_local_period ? p.local_period
                                                                                      : clock_.period());
  out.local_period = CounterPeriod::from_seconds(p.local_period);
  // The line's 1σ, and the offset a level shift may have brought.
  const double shift_bias = shift_asymmetry_.bias();
  out.time_esterror = Duration::from_seconds(std::sqrt(line_variance(p) + shift_bias * shift_bias));
  out.time_maxerror = Duration::from_seconds(p.maxerror);
  // The rate's 1σ: the fit slope's or p̂'s, or what misses at spread ages show. In warm-up,
  // the slope's alone: the line's rate is p̂ corrected by the slope fitted to offsets measured
  // with p̂, so p̂'s own error cancels, and p̂'s 1σ (a saved period's claimed bound, 0.1 ppm,
  // until a pair of stamps beats it) said 5 times the line's rate error. The run's first
  // line has no slope: its rate is the prior's.
  if (warmup_) {
    out.period_esterror_rel = p.first_of_run ? period_.esterror_rel() : p.period_esterror_rel;
  } else {
    out.period_esterror_rel =
        std::max({period_.esterror_rel(), p.period_esterror_rel, std::sqrt(innovations_.rate_variance())});
  }
  out.period_maxerror_rel = line_rate_bound(p.local_period);
  const long double since_good = clock_.period() * static_cast<long double>(last_tf_ - last_good_offset_tf_);
  if (warmup_) {
    out.status = SyncStatus::WarmUp;
  } else if (since_good > config_.skm_scale_s) {
    out.status = SyncStatus::Holdover;
  } else {
    out.status = SyncStatus::Synchronized;
  }
  return out;
}

std::optional<ClockParams> Estimator::params_at(uint64_t counter, double horizon_s) const {
  std::optional<ClockParams> p = params();
  if (!p || counter == p->anchor_counter) return p;
  const ClockParams& line = *p;
  // The 1σ at `ticks` past the anchor: the page's growth, and beyond the ages the stamps come
  // at (where the misses of new stamps calibrate it) what a line that much older was measured
  // to cost more.
  const double calibrated = spacing_s_;
  auto esterror = [&](int64_t ticks) {
    const double e = line.esterror_at(line.anchor_counter + static_cast<uint64_t>(ticks)).to_seconds();
    const double age = std::fabs(static_cast<double>(clock_.period() * static_cast<long double>(ticks)));
    if (age <= calibrated) return e;
    const double extra = holdover_.variance_at(age) - holdover_.variance_at(calibrated);
    return extra > 0 ? std::sqrt(e * e + extra) : e;
  };
  const auto ticks = static_cast<int64_t>(counter - line.anchor_counter);
  ClockParams at = line.reanchored(counter);
  const double now = esterror(ticks);
  at.time_esterror = Duration::from_seconds(now);
  if (horizon_s > 0) {
    const auto ahead = static_cast<int64_t>(std::llround(horizon_s / static_cast<double>(clock_.period())));
    at.period_esterror_rel = ClockParams::meeting_rate(now, esterror(ticks + ahead), horizon_s);
  }
  return at;
}

}  // namespace ffclock::core
