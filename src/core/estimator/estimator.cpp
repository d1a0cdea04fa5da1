// The estimator's pipeline: admission, histories, RTT filter, period, local period, offset,
// bounds, publication. Each step is in its own module; this file only sequences them.
#include "core/estimator/estimator.hpp"

#include <algorithm>
#include <cmath>

#include "core/estimator/exchange_checks.hpp"
#include "core/estimator/offset_estimator.hpp"

namespace ffclock::core {

using estimator::Stamp;

Estimator::Estimator(const EstimatorConfig& config) : config_(config), poll_s_(std::max(1, config.poll_s)) {
  windows_ = estimator::make_windows(config_, poll_s_);
  history_.resize(windows_.capacity);
  start_run(config_.nominal_period_s, config_.nominal_period_maxerror_rel, config_.burst);
}

void Estimator::start_run(long double prior_period, double prior_maxerror_rel, int publish_after) {
  history_.clear();
  thresholds_ = estimator::make_thresholds(config_);
  period_.start(prior_period, prior_maxerror_rel);
  local_.start(prior_period);
  clock_ = estimator::UncorrectedClock(0, prior_period);
  have_base_ = false;
  warmup_ = true;
  publish_after_ = std::max(1, publish_after);
  poll_change_index_ = 0;
  published_.reset();
  last_good_offset_tf_ = 0;
  diag_.warming_up = true;
}

void Estimator::reset() {
  // The local period is the most recent rate; the bound widens for a possible change of host.
  const long double prior = local_.period();
  const double bound = std::max(config_.reset_period_maxerror_rel, period_.maxerror_rel());
  start_run(prior, bound, config_.publish_after_reset);
}

void Estimator::set_poll(int poll_s) {
  poll_s_ = std::max(1, poll_s);
  windows_ = estimator::make_windows(config_, poll_s_);
  history_.resize(windows_.capacity);
  // The local period's windows must lie past the change before it is estimated again.
  poll_change_index_ = history_.end();
}

double Estimator::rate_bound() const { return std::max(config_.rate_err_bound, period_.maxerror_rel()); }

ExchangeVerdict Estimator::add(const Exchange& ex) {
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
  s.tb = (ex.tb - base_time_).to_seconds_ld();
  s.te = (ex.te - base_time_).to_seconds_ld();
  s.rtt = ex.tf - ex.ta;
  s.qual_warning = qual_warning;
  const uint64_t i = history_.end();
  history_.push(s);
  ++diag_.exchanges;
  if (i == 0) rtt_.start(s, i);

  const auto shift_ticks = static_cast<uint64_t>(thresholds_.shift / clock_.period());
  const auto rtt_update = rtt_.add(history_, i, windows_, !warmup_, shift_ticks);
  if (rtt_update.shifted_up) ++diag_.level_shifts_up;

  bool period_rejected = false;
  if (warmup_) {
    const uint64_t width = std::min<uint64_t>(windows_.wwidth, 1 + i / 4);  // grows by 1 every 4 stamps
    if (!qual_warning) {
      const auto outcome = period_.add_warmup(history_, 0, i, width, clock_, thresholds_);
      period_rejected = outcome == estimator::PeriodOutcome::RejectedSanity;
    }
    local_.follow(period_.period());
  } else {
    if (rtt_update.forgot) period_.set_reference(rtt_.next_best());
    const auto outcome = period_.add_full(history_.at(i), clock_, thresholds_);
    period_rejected = outcome == estimator::PeriodOutcome::RejectedSanity;
    const auto local = local_.add(history_, i, poll_change_index_, windows_, clock_, thresholds_, qual_warning);
    if (local == estimator::LocalPeriodOutcome::RejectedSanity) ++diag_.local_period_rejects;
  }
  if (period_rejected) ++diag_.period_sanity_rejects;
  if (period_.period() != clock_.period()) clock_.set_period(period_.period(), s.tf);

  const OffsetOutcome offset = update_offset(i, qual_warning);
  if (warmup_ && i + 1 >= windows_.warmup) end_warmup();

  diag_.min_rtt_ticks = rtt_.rtt_hat();
  diag_.min_rtt = Duration::from_seconds(clock_.period() * static_cast<long double>(rtt_.rtt_hat()));
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
  thresholds_ = estimator::calibrate_thresholds(
      config_, clock_.period() * static_cast<long double>(rtt_.rtt_hat()));
  warmup_ = false;
}

Estimator::OffsetOutcome Estimator::update_offset(uint64_t index, bool qual_warning) {
  const Stamp& s = history_.at(index);
  const uint64_t first = std::max(history_.begin(), index + 1 > windows_.offset ? index + 1 - windows_.offset : 0);
  const estimator::OffsetWindow window{first, index};
  const estimator::OffsetEstimate est = estimator::estimate_offset(
      history_, window, clock_, local_.period(), thresholds_.offset, config_.best_skm_rate);
  if (!est.valid || est.min_total_error >= thresholds_.offset_quality) {
    ++diag_.offset_quality_rejects;
    return OffsetOutcome::KeptQuality;
  }
  if (published_) {
    // Where the published line puts Cu's offset now; a candidate far from it is a server
    // step or fault, not news about our clock.
    const Published& p = *published_;
    const long double since_anchor = static_cast<long double>(static_cast<int64_t>(s.tf - p.anchor_counter));
    const long double predicted = clock_.at(s.tf) - (p.anchor_s + since_anchor * p.local_period);
    const long double jump = est.theta - predicted;
    diag_.last_offset_jump = Duration::from_seconds(jump);
    const long double gap = clock_.period() * static_cast<long double>(s.tf - last_good_offset_tf_);
    const long double limit = thresholds_.offset_sanity_min + (thresholds_.offset_sanity_rate + rate_bound()) * gap;
    if (qual_warning) return OffsetOutcome::Frozen;
    if (std::fabs(jump) > limit) {
      ++diag_.offset_sanity_rejects;
      return OffsetOutcome::KeptSanity;
    }
  } else if (qual_warning) {
    return OffsetOutcome::Frozen;
  }
  Published p;
  p.anchor_counter = s.tf;
  p.anchor_s = clock_.at(s.tf) - est.theta;
  p.local_period = local_.period();
  p.esterror = est.spread;
  p.maxerror = static_cast<double>(
      estimator::offset_maxerror(history_, window, clock_, est.theta, p.local_period, rate_bound()));
  published_ = p;
  last_good_offset_tf_ = s.tf;
  diag_.offset = Duration::from_seconds(est.theta);
  return OffsetOutcome::Updated;
}

std::optional<ClockParams> Estimator::params() const {
  if (!published_ || history_.end() < static_cast<uint64_t>(publish_after_)) return std::nullopt;
  const Published& p = *published_;
  ClockParams out;
  out.anchor_counter = p.anchor_counter;
  out.anchor_time = base_time_ + Duration::from_seconds(p.anchor_s);
  out.period = CounterPeriod::from_seconds(clock_.period());
  out.local_period = CounterPeriod::from_seconds(p.local_period);
  out.time_esterror = Duration::from_seconds(p.esterror);
  out.time_maxerror = Duration::from_seconds(p.maxerror);
  out.period_esterror_rel = warmup_ ? period_.esterror_rel() : std::max(period_.esterror_rel(), local_.esterror_rel());
  out.period_maxerror_rel = rate_bound();
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

}  // namespace ffclock::core
