// SPDX-License-Identifier: BSD-2-Clause
#include "core/engine/source.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::engine {

namespace {

EstimatorConfig for_source(const SourceConfig& config, EstimatorConfig e, uint64_t nominal_hz) {
  e.nominal_period_s = 1.0L / static_cast<long double>(nominal_hz);
  e.poll_s = std::max(1, 1 << std::clamp(config.minpoll, 0, 30));
  if (config.mode == SourceMode::System) {
    // The kernel clock is read between two counter reads tens of ticks apart: no RTT is too short.
    e.min_rtt_ticks = 1;
  }
  return e;
}

// Accepted exchanges at one poll before the interval may double.
constexpr int kGoodBeforeLonger = 8;
// Good replies without a kiss before a RATE back-off is undone by one step.
constexpr int kGoodAfterKiss = 2;

}  // namespace

Source::Source(const SourceConfig& config, std::size_t index, const EstimatorConfig& estimator,
               uint64_t nominal_hz, const SourceClockFactory& make_clock, Duration burst_spacing)
    : config_(config),
      estimator_config_(for_source(config, estimator, nominal_hz)),
      estimator_(make_clock ? make_clock(index, estimator_config_)
                            : std::make_unique<EstimatorSourceClock>(estimator_config_)),
      burst_spacing_s_(burst_spacing.to_seconds()),
      nominal_hz_(nominal_hz),
      poll_log2_(config.minpoll),
      min_poll_(config.minpoll) {}

uint64_t Source::ticks(double seconds) const {
  return static_cast<uint64_t>(std::llround(seconds * static_cast<double>(nominal_hz_)));
}

void Source::start_burst(uint64_t counter, int exchanges) {
  burst_left_ = config_.iburst ? exchanges : 0;
  next_poll_ = counter;
}

void Source::confirm_burst(uint64_t counter, int exchanges) {
  if (!config_.iburst || burst_left_ > 0) return;
  burst_left_ = exchanges;  // polls at +spacing, +2 spacing, … then the poll interval again
  const uint64_t soon = counter + ticks(burst_spacing_s_);
  if (soon - next_poll_ >= (uint64_t{1} << 63)) next_poll_ = soon;  // only ever sooner
}

void Source::set_poll_log2(int p) {
  p = std::clamp(p, min_poll_, std::max(min_poll_, config_.maxpoll));
  if (p == poll_log2_) return;
  poll_log2_ = p;
  good_at_poll_ = 0;
  estimator_->set_poll(std::max(1, 1 << std::max(0, p)));
}

void Source::set_poll_range(int minpoll, int maxpoll) {
  config_.minpoll = minpoll;
  config_.maxpoll = std::max(minpoll, maxpoll);
  min_poll_ = minpoll;
  set_poll_log2(std::clamp(poll_log2_, minpoll, config_.maxpoll));
}

void Source::on_poll(uint64_t counter, double jitter) {
  if (outstanding) ++reach_.unanswered;  // the last request was never answered
  reach_.on_poll();
  outstanding.reset();
  outstanding_sent = false;
  double interval = std::ldexp(1.0, poll_log2_);
  if (burst_left_ > 0) {
    // A burst of N exchanges: N − 1 gaps of the burst spacing, then the poll interval.
    if (--burst_left_ > 0) interval = std::min(interval, burst_spacing_s_);
  } else {
    interval *= 1.0 + jitter;                                  // spread the polls of many sources apart
    if (reach_.unanswered > 8) set_poll_log2(poll_log2_ + 1);  // back off an unreachable source
  }
  next_poll_ = counter + ticks(interval);
}

void Source::on_valid_reply(uint64_t counter) {
  reach_.on_reply();
  ++exchanges_;
  last_update_counter = counter;
  if (min_poll_ > config_.minpoll && ++good_since_kiss_ >= kGoodAfterKiss) {
    // The server has not asked us to slow down for a while: come back one step.
    good_since_kiss_ = 0;
    --min_poll_;
    if (poll_log2_ > std::max(min_poll_, config_.maxpoll)) set_poll_log2(poll_log2_ - 1);
    return;
  }
  if (burst_left_ == 0 && ++good_at_poll_ >= kGoodBeforeLonger && poll_log2_ < config_.maxpoll) {
    set_poll_log2(poll_log2_ + 1);
  }
}

void Source::on_rate_kiss() {
  good_since_kiss_ = 0;
  min_poll_ = std::min(std::max(min_poll_, poll_log2_ + 1), 17);
  burst_left_ = 0;
  set_poll_log2(min_poll_);
}

SourceSnapshot Source::snapshot() const {
  SourceSnapshot s;
  s.name = config_.name;
  s.mode = config_.mode;
  s.state = state;
  s.reach = reach_.bits;
  s.poll_log2 = poll_log2_;
  s.stratum = server.stratum;
  s.refid = server.refid;
  s.last_rtt = last_rtt;
  s.min_rtt = min_rtt;
  s.offset = offset;
  s.last_update_counter = last_update_counter;
  s.exchanges = exchanges_;
  s.rejected = rejected_;
  s.kod = kod_;
  s.unusable = unusable;
  return s;
}

}  // namespace ffclock::core::engine
