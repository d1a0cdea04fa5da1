// SPDX-License-Identifier: BSD-2-Clause
#include "core/engine/sync_engine.hpp"

#include <algorithm>
#include <charconv>
#include <cinttypes>
#include <cmath>

#include "core/engine/leap_state.hpp"
#include "core/engine/selection.hpp"
#include "core/engine/source.hpp"
#include "core/ntp/client_request.hpp"

namespace ffclock::core::engine {

const char* to_string(StepReason r) {
  switch (r) {
    case StepReason::Disruption:
      return "disruption";
    case StepReason::Reanchor:
      return "re-anchor";
    case StepReason::Leap:
      return "leap second";
  }
  return "?";
}

const char* to_string(SourceState s) {
  switch (s) {
    case SourceState::Initializing:
      return "initializing";
    case SourceState::Selected:
      return "selected";
    case SourceState::Candidate:
      return "candidate";
    case SourceState::Falseticker:
      return "falseticker";
    case SourceState::Unreachable:
      return "unreachable";
    case SourceState::Demobilized:
      return "demobilized";
  }
  return "?";
}

const char* to_string(DisruptionReason r) {
  switch (r) {
    case DisruptionReason::HostMarker:
      return "host disruption marker changed";
    case DisruptionReason::CounterJump:
      return "counter jump";
    case DisruptionReason::Resume:
      return "resume from suspend";
  }
  return "?";
}

namespace {

// Estimators run on TAI: their UtcTime-typed stamps and anchors carry TAI values. These two
// functions are the only crossings between the two readings of that type.
UtcTime est_from_tai(TaiTime t) { return UtcTime::from_fixed(t.fixed()); }
TaiTime tai_from_est(UtcTime t) { return TaiTime::from_fixed(t.fixed()); }

// A persistent disagreement with a server must last this long before it can step the clock
// (ntpd's stepout): a server that is wrong for a few minutes is ridden out.
constexpr double kServerStepoutS = 900;
// Exchanges used since a reset before the page is reliable again.
constexpr int kRelockExchanges = 3;
// ... spanning at least this long: over a shorter baseline the round-trip noise (~100 µs)
// says less about the rate than the prior kept through the reset, so the clock is still
// the old period extrapolated, not a re-measured one.
constexpr double kRelockSpanS = 4;
// Timestamps this close to a leap instant are ambiguous in UTC: their exchange is not used.
constexpr Duration kLeapGuard = Duration::seconds(2);

std::string fixed(double v, int digits) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits);
  return std::string(buf, r.ptr);
}
// Built in place: GCC 12 at -O3 reports a false -Wrestrict for "literal" + std::string here.
std::string fmt_seconds(Duration d) {
  std::string s = fixed(d.to_seconds(), 6);
  if (d >= Duration{}) s.insert(s.begin(), '+');
  s += " s";
  return s;
}
std::string fmt_us(Duration d) { return fixed(d.to_seconds() * 1e6, 1) + " us"; }

constexpr uint32_t kRefidSys = 0x53595300;    // "SYS"
constexpr uint32_t kRefidVmcl = 0x564D434CU;  // "VMCL"

bool is_vmclock(const Source& s) { return s.config().mode == SourceMode::Vmclock; }
// Sources that are not NTP servers: no nonces, no leap indicator to vote with.
bool is_local(const Source& s) { return s.config().mode == SourceMode::System || is_vmclock(s); }

// A vmclock source reads the page at least once a second, whatever the poll limits say, and
// needs no start burst: one reading is the host's whole answer.
SourceConfig effective(SourceConfig s) {
  if (s.mode == SourceMode::Vmclock) {
    s.minpoll = std::min(s.minpoll, 0);
    s.maxpoll = std::min(s.maxpoll, 0);
    s.iburst = false;
  }
  return s;
}

}  // namespace

struct SyncEngine::Impl {
  explicit Impl(EngineConfig c) : cfg(std::move(c)), rng(cfg.rng_seed ^ 0x9e3779b97f4a7c15ULL) {
    sources.reserve(cfg.sources.size());
    for (std::size_t i = 0; i < cfg.sources.size(); ++i) {
      const SourceConfig s = effective(cfg.sources[i]);
      sources.emplace_back(s, i, cfg.estimator, cfg.nominal_hz, cfg.make_clock,
                           s.mode == SourceMode::System ? cfg.system_burst_spacing : cfg.burst_spacing);
      if (cfg.warm_start)
        sources.back().estimator().seed_period(cfg.warm_start->period_s, cfg.warm_start->period_maxerror_rel);
    }
  }

  EngineConfig cfg;
  std::vector<Source> sources;
  LeapState leap;
  uint64_t rng;
  uint64_t start_counter = 0;
  uint64_t last_counter = 0;
  std::optional<ClockParams> published;  // combined, on TAI
  std::optional<ClockParams> combined;   // the last combination: `published`, or what it refreshes
  double combined_gain = 1;              // its 1σ over the selected source's alone
  uint64_t published_data = 0;           // counter of the newest data behind it (PageInput::data_counter)
  SourceSummary published_source;
  bool unreliable = false;
  // Every source with a line misses the published clock beyond its bound (step rule evidence
  // before the stepout): the bound is known broken, so the page says UNRELIABLE meanwhile.
  bool disputed = false;
  bool pending_reference_step = false;
  bool ever_published = false;
  uint64_t step_generation = 0;
  std::optional<std::size_t> selected;
  std::vector<int> since_reset;  // exchanges used per source since its last reset
  uint64_t reset_counter = 0;    // counter at the last disruption or re-anchor

  uint64_t next_random() {  // splitmix64
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  Duration nominal(int64_t ticks) const {
    return Duration::from_seconds(static_cast<long double>(ticks) / static_cast<long double>(cfg.nominal_hz));
  }
  uint64_t ticks(double seconds) const {
    return static_cast<uint64_t>(std::llround(seconds * static_cast<double>(cfg.nominal_hz)));
  }

  TaiTime tai_now(uint64_t counter) const {
    if (published) return tai_from_est(published->time_at(counter));
    const UtcTime u = cfg.start_hint + nominal(static_cast<int64_t>(counter - start_counter));
    return to_tai(u, leap.tai_minus_utc_at(u));
  }
  UtcTime utc_now(uint64_t counter) const {
    const TaiTime t = tai_now(counter);
    return to_utc(t, leap.tai_minus_utc_at(t));
  }

  void log(Actions& a, LogLevel level, std::string text) { a.logs.push_back({level, std::move(text)}); }

  Actions base(uint64_t counter) {
    Actions a;
    last_counter = counter;
    if (auto crossed = leap.advance(utc_now(counter))) {
      log(a, LogLevel::Notice,
          std::string("leap second ") + (crossed->delta > 0 ? "inserted" : "deleted") + ": TAI-UTC is now " +
              std::to_string(crossed->tai_minus_utc_after) + " s");
      a.step = StepNotice{StepReason::Leap, step_generation, Duration::seconds(-crossed->delta)};
    }
    return a;
  }

  void finish(Actions& a, uint64_t counter) {
    // Wake for the earliest poll (once a minute with nothing to poll: leap instants).
    uint64_t wait = UINT64_MAX;
    for (const Source& s : sources) {
      if (s.demobilized()) continue;
      const uint64_t d = s.next_poll() - counter;
      if (d < (uint64_t{1} << 63))
        wait = std::min(wait, d);
      else
        wait = 0;
    }
    if (wait == UINT64_MAX) wait = ticks(60);
    if (const auto at = holdover_due()) {
      const uint64_t due = *at - counter;
      wait = std::min(wait, due < (uint64_t{1} << 63) ? due : 0);
    }
    a.next_timer = std::max(nominal(static_cast<int64_t>(wait)), Duration::milliseconds(1));
  }

  bool reachable(const Source& s) const {
    if (is_vmclock(s)) return !s.demobilized() && s.host_params.has_value();
    return !s.demobilized() && (s.config().mode == SourceMode::System || s.reachable(cfg.unreachable_after));
  }

  // The line a source stands for, anchored at `counter` with its errors grown to there: the
  // host's own for a vmclock source, else its estimator's.
  std::optional<ClockParams> params_of(const Source& s, uint64_t counter) const {
    const double horizon = cfg.holdover_refresh.to_seconds();
    if (!is_vmclock(s)) return s.estimator().params_at(counter, horizon);
    if (!s.host_params) return std::nullopt;
    return s.host_params->reanchored(counter, horizon);
  }
  // The counter of the newest data behind a source's line (its anchor before re-anchoring).
  uint64_t data_counter_of(const Source& s) const {
    const std::optional<ClockParams> p = is_vmclock(s) ? s.host_params : s.estimator().params();
    return p ? p->anchor_counter : 0;
  }

  // Holdover: the page carries a line and a linear growth of its error. When no new line came
  // for holdover_refresh, the published line is re-anchored where it is, its esterror grown as
  // the selected source's estimator measured a line that old to err (Estimator::params_at),
  // so readers follow that growth instead of the tangent at the last stamp. The data are no
  // fresher for it: staleness still counts from the last stamp.
  // The counter value at which the published line is next refreshed; none while no source's
  // line is published (a host's page refreshes itself).
  std::optional<uint64_t> holdover_due() const {
    if (!published || !combined || !selected || is_vmclock(sources[*selected])) return std::nullopt;
    return published->anchor_counter + ticks(cfg.holdover_refresh.to_seconds());
  }
  void refresh_holdover(Actions& a, uint64_t counter) {
    const auto due = holdover_due();
    if (!due || a.publish || static_cast<int64_t>(counter - *due) < 0) return;
    const std::optional<ClockParams> grown =
        sources[*selected].estimator().params_at(counter, cfg.holdover_refresh.to_seconds());
    if (!grown) return;
    // The combination's line; its 1σ the source's, grown from the source's own anchor (a
    // re-anchored growth re-anchored again would lose the part already under way), times
    // what combining gained over that source alone.
    ClockParams out = combined->reanchored(counter);
    out.time_esterror = Duration::from_seconds(grown->time_esterror.to_seconds() * combined_gain);
    out.period_esterror_rel = grown->period_esterror_rel * combined_gain;
    published = out;
    a.publish = page_input(out);
  }

  void poll(Actions& a, std::size_t i, uint64_t counter) {
    Source& s = sources[i];
    const bool was_reachable = s.reach().bits != 0 && s.reach().unanswered < cfg.unreachable_after;
    // A vmclock source is read on the second, not spread out: it loads no server.
    const double jitter =
        is_vmclock(s) ? 0 : cfg.poll_jitter * static_cast<double>(next_random() >> 11) * 0x1.0p-53;
    s.on_poll(counter, jitter);
    if (is_vmclock(s)) {
      s.outstanding = SentRequest{1, counter};
      s.outstanding_sent = true;
      a.sample_vmclock = true;
      return;
    }
    if (s.config().mode == SourceMode::System) {
      s.outstanding = SentRequest{1, counter};
      s.outstanding_sent = true;
      a.sample_system = true;
      return;
    }
    uint64_t nonce = 0;
    while (nonce == 0) nonce = next_random();
    s.outstanding = SentRequest{nonce, 0};
    s.outstanding_sent = false;
    a.sends.push_back({i, nonce, encode_client_request(nonce, static_cast<int8_t>(s.poll_log2()))});
    if (s.reach().unanswered == cfg.unreachable_after ||
        (was_reachable && !s.reachable(cfg.unreachable_after))) {
      log(a, LogLevel::Warning, "source " + s.config().name + " unreachable");
      a.resolve.push_back(i);
      a.sources_changed = true;
      republish(a, counter);
    } else if (s.reach().bits == 0 && s.reach().unanswered > 0 && s.reach().unanswered % 16 == 0) {
      a.resolve.push_back(i);  // never answered: the name may resolve elsewhere now
    }
  }

  // Feeds one exchange (UTC stamps as received) to source i's estimator and re-evaluates.
  void feed(Actions& a, std::size_t i, Exchange ex, uint64_t counter) {
    Source& s = sources[i];
    a.sources_changed = true;
    if (leap.near_leap(ex.tb, kLeapGuard) || leap.near_leap(ex.te, kLeapGuard)) {
      s.on_rejected();
      log(a, LogLevel::Debug, "source " + s.config().name + ": exchange at a leap instant not used");
      return;
    }
    Exchange est = ex;
    est.tb = est_from_tai(to_tai(ex.tb, leap.tai_minus_utc_at(ex.tb)));
    est.te = est_from_tai(to_tai(ex.te, leap.tai_minus_utc_at(ex.te)));
    est.server.leap = LeapIndicator::None;  // the engine owns the leap state

    const uint64_t mid = ex.ta + (ex.tf - ex.ta) / 2;
    const TaiTime server_mid = tai_from_est(est.tb) + (est.te - est.tb) / 2;
    const Duration rtt = nominal(static_cast<int64_t>(ex.tf - ex.ta)) - (est.te - est.tb);
    s.last_rtt = rtt;
    if (!s.min_rtt || rtt < *s.min_rtt) s.min_rtt = rtt;
    if (published) s.offset = server_mid - tai_from_est(published->time_at(mid));

    // The step rule's evidence: does this exchange miss the source's own published line?
    if (auto p = s.estimator().params()) {
      const Duration theta = server_mid - tai_from_est(p->time_at(mid));
      const Duration bound = p->maxerror_at(mid) + abs(rtt) / 2;
      if (abs(theta) > bound) {
        const int sign = theta > Duration{} ? 1 : -1;
        if (s.misses == 0 || s.miss_sign != sign) {
          s.misses = 0;
          s.first_miss_counter = mid;
          s.confirm_burst(counter, cfg.step_after_misses - 1);
        }
        ++s.misses;
        s.miss_sign = sign;
        s.miss_offset = theta;
      } else {
        s.misses = 0;
      }
    }

    const ExchangeVerdict v = s.estimator().add(est);
    if (v == ExchangeVerdict::RejectedInsane || v == ExchangeVerdict::RejectedServer) {
      s.on_rejected();
      return;
    }
    ++since_reset[i];
    if (check_step_rule(a, counter)) return;
    republish(a, counter);
  }

  // Every usable source has disagreed with its own line, the same way, long enough: the
  // clock (not the sources) is wrong. Re-anchor every estimator, keeping its period.
  bool check_step_rule(Actions& a, uint64_t counter) {
    int sign = 0;
    std::size_t usable = 0;
    for (const Source& s : sources) {
      if (!reachable(s) || !s.estimator().params()) continue;
      ++usable;
      const double stepout = s.config().mode == SourceMode::System ? 0 : kServerStepoutS;
      if (s.misses < cfg.step_after_misses) return false;
      if (counter - s.first_miss_counter < ticks(stepout)) return false;
      if (sign != 0 && s.miss_sign != sign) return false;
      sign = s.miss_sign;
    }
    if (usable == 0) return false;
    Duration amount;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      Source& s = sources[i];
      if (s.misses > 0 && amount == Duration{}) amount = s.miss_offset;
      s.misses = 0;
      s.estimator().reset();
      since_reset[i] = 0;
    }
    ++step_generation;
    unreliable = true;
    disputed = false;  // the re-anchor settles it; `unreliable` holds until the re-lock
    pending_reference_step = true;
    reset_counter = counter;
    log(a, LogLevel::Warning,
        "every source puts the clock " + fmt_seconds(amount) + " off, beyond its bound, for " +
            std::to_string(cfg.step_after_misses) + "+ exchanges: re-anchoring (step " +
            std::to_string(step_generation) + ")");
    a.step = StepNotice{StepReason::Reanchor, step_generation, amount};
    publish_unreliable(a);
    return true;
  }

  // No source is a candidate. When that is because every one with a line disagrees with the
  // clock beyond its bound (not because none is reachable), the published bound is not to be
  // trusted until the step rule decides: an unannounced pause or step shows here first.
  void note_dispute(Actions& a) {
    std::size_t with_line = 0;
    for (const Source& s : sources) {
      if (!reachable(s) || !s.estimator().params()) continue;
      if (s.misses < cfg.step_after_misses) return;
      ++with_line;
    }
    if (with_line == 0) return;
    if (!disputed) {
      disputed = true;
      log(a, LogLevel::Warning,
          "every source disagrees with the clock beyond its bound: publishing UNRELIABLE until they agree "
          "again or the clock re-anchors");
    }
    publish_unreliable(a);
  }

  void publish_unreliable(Actions& a) {
    if (!published) return;
    a.publish = page_input(*published);
  }

  // Selection, combination and publication at `counter`.
  void republish(Actions& a, uint64_t counter) {
    std::vector<std::size_t> idx;
    std::vector<ClockParams> params;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      Source& s = sources[i];
      const SourceState before = s.state;
      auto p = params_of(s, counter);
      if (s.demobilized()) {
        s.state = SourceState::Demobilized;
      } else if (is_vmclock(s) && !s.unusable.empty()) {
        s.state = SourceState::Unreachable;  // the host's time is not usable here (the reason is shown)
      } else if (!reachable(s) && s.reach().unanswered >= cfg.unreachable_after) {
        s.state = SourceState::Unreachable;
      } else if (!p) {
        s.state = SourceState::Initializing;
      } else if (s.misses >= cfg.step_after_misses) {
        s.state = SourceState::Falseticker;  // its own recent data disagree with it
      } else {
        idx.push_back(i);
        params.push_back(*p);
        continue;
      }
      if (s.state != before) a.sources_changed = true;
    }
    if (idx.empty()) {
      note_dispute(a);
      return;
    }
    if (disputed) {
      disputed = false;
      log(a, LogLevel::Notice, "a source agrees with the clock again: the dispute is over");
    }

    const TaiTime ref = tai_from_est(params[0].time_at(counter));
    std::vector<Interval> intervals;
    std::vector<Estimate> estimates;
    for (std::size_t k = 0; k < idx.size(); ++k) {
      const Source& s = sources[idx[k]];
      const Duration off = tai_from_est(params[k].time_at(counter)) - ref;
      const Duration m = params[k].maxerror_at(counter) + s.extra_bound;
      intervals.push_back({off - m, off + m});
      estimates.push_back({off, params[k].time_esterror, m});
    }
    const SelectionResult sel = select_truechimers(intervals);
    std::vector<Estimate> survivors;
    std::vector<std::size_t> surv_idx;
    for (std::size_t k : sel.truechimers) {
      survivors.push_back(estimates[k]);
      surv_idx.push_back(k);
    }
    for (std::size_t k = 0; k < idx.size(); ++k) {
      Source& s = sources[idx[k]];
      const bool chimer =
          std::find(sel.truechimers.begin(), sel.truechimers.end(), k) != sel.truechimers.end();
      const SourceState next = chimer                    ? SourceState::Selected
                               : sel.truechimers.empty() ? SourceState::Candidate
                                                         : SourceState::Falseticker;
      if (next != s.state) {
        a.sources_changed = true;
        if (next == SourceState::Falseticker)
          log(a, LogLevel::Notice, "source " + s.config().name + " is a falseticker");
      }
      s.state = next;
    }
    const auto comb = combine(survivors);
    if (!comb) {
      if (idx.size() > 1) log(a, LogLevel::Warning, "no majority of sources agrees: not publishing");
      return;
    }
    std::size_t heaviest = idx[surv_idx[comb->heaviest]];
    // Hysteresis (chrony's reselectdist in spirit): the selected source stays selected while
    // it survives with at least half the best weight, so equal sources do not flap.
    if (selected && *selected != heaviest) {
      const double best = estimates[surv_idx[comb->heaviest]].esterror.to_seconds();
      for (std::size_t k : surv_idx) {
        if (idx[k] == *selected && estimates[k].esterror.to_seconds() <= best * std::sqrt(2.0))
          heaviest = *selected;
      }
    }
    if (selected != heaviest) {
      log(a, LogLevel::Notice, "selected source " + sources[heaviest].config().name);
      selected = heaviest;
    }

    // The combination, re-anchored at `counter`.
    ClockParams out;
    out.anchor_counter = counter;
    out.anchor_time = est_from_tai(ref + comb->offset);
    long double wsum = 0, lp = 0, pp = 0;
    bool any_sync = false;
    bool relocked = false;
    for (std::size_t j = 0; j < surv_idx.size(); ++j) {
      const std::size_t k = surv_idx[j];
      const Source& s = sources[idx[k]];
      const ClockParams& p = params[k];
      const double sigma = std::max(1e-9, p.time_esterror.to_seconds());
      const long double w = 1.0L / (static_cast<long double>(sigma) * sigma);
      wsum += w;
      lp += w * p.local_period.to_seconds();
      pp += w * p.period.to_seconds();
      out.period_maxerror_rel = std::max(out.period_maxerror_rel, p.period_maxerror_rel);
      // The estimator's warm-up keeps a hard bound: its clock is synchronized within it.
      const bool sync =
          p.status != SyncStatus::Holdover && p.status != SyncStatus::Unsynchronized && s.kernel_synchronized;
      any_sync = any_sync || sync;
      // The host's line needs no re-measuring: one reading taken since the reset is its answer.
      relocked = relocked || (is_vmclock(s) && since_reset[idx[k]] > 0) ||
                 (since_reset[idx[k]] >= kRelockExchanges && counter - reset_counter >= ticks(kRelockSpanS));
    }
    out.local_period = CounterPeriod::from_seconds(lp / wsum);
    out.period = CounterPeriod::from_seconds(pp / wsum);
    out.period_esterror_rel = params[surv_idx[comb->heaviest]].period_esterror_rel;
    out.time_esterror = comb->esterror;
    out.time_maxerror = comb->maxerror;
    out.status = any_sync ? SyncStatus::Synchronized : SyncStatus::Holdover;

    if (unreliable && relocked) {
      unreliable = false;
      log(a, LogLevel::Notice, "clock re-locked (maxerror " + fmt_us(out.time_maxerror) + ")");
    }
    // The newest data behind the combination: the survivors' latest anchor.
    published_data = data_counter_of(sources[idx[surv_idx[0]]]);
    for (std::size_t k : surv_idx) {
      const uint64_t c = data_counter_of(sources[idx[k]]);
      if (static_cast<int64_t>(c - published_data) > 0) published_data = c;
    }
    const Source& h = sources[heaviest];
    if (h.config().mode == SourceMode::System) {
      published_source = SourceSummary{static_cast<uint8_t>(h.kernel_synchronized ? 1 : 16), kRefidSys,
                                       Duration{}, h.extra_bound};
    } else if (is_vmclock(h)) {
      // The host is this machine's reference clock: its bound is the dispersion.
      published_source =
          SourceSummary{1, kRefidVmcl, Duration{}, h.host_params ? h.host_params->time_maxerror : Duration{}};
    } else {
      published_source = SourceSummary{h.server.stratum, h.server.refid,
                                       h.server.root_delay + (h.min_rtt ? *h.min_rtt : Duration{}),
                                       h.server.root_dispersion};
    }
    published = out;
    combined = out;
    double alone = 0;
    for (std::size_t k : surv_idx)
      if (idx[k] == heaviest) alone = params[k].time_esterror.to_seconds();
    combined_gain = alone > 0 ? std::min(1.0, out.time_esterror.to_seconds() / alone) : 1.0;
    if (!ever_published) {
      ever_published = true;
      log(a, LogLevel::Notice,
          "first publication from " + h.config().name + ": maxerror " + fmt_us(out.time_maxerror));
    }
    a.publish = page_input(out);
    pending_reference_step = false;
  }

  PageInput page_input(const ClockParams& tai_params) {
    PageInput in;
    in.params = tai_params;
    const TaiTime anchor = tai_from_est(tai_params.anchor_time);
    const int32_t off = leap.tai_minus_utc_at(anchor);
    in.params.anchor_time = to_utc(anchor, off);
    const UtcTime now = in.params.anchor_time;
    in.counter_id = cfg.counter_id;
    in.tai_offset_known = leap.offset_known();
    in.tai_minus_utc = off;
    if (auto ev = leap.relevant_event(now)) {
      LeapSchedule ls;
      ls.event = *ev;
      // Without a table the page carries UTC with no TAI offset: the leap's "TAI − UTC after"
      // is then relative to that (the leap's delta), not the assumed absolute value.
      if (!in.tai_offset_known) ls.event.tai_minus_utc_after = ev->tai_minus_utc_after - off;
      in.next_leap = ls;
    }
    in.leap_table_expired = leap.table_expired(now);
    in.source = published_source;
    if (published_data != tai_params.anchor_counter) in.data_counter = published_data;
    in.unreliable = unreliable || disputed;
    in.reference_step = pending_reference_step;
    int max_poll = 0;
    for (const Source& s : sources) max_poll = std::max(max_poll, s.poll_log2());
    const Duration poll = Duration::seconds(int64_t{1} << std::clamp(max_poll, 0, 20));
    in.stale_after = std::max(cfg.stale_after, poll * 8);
    in.void_after = std::max(cfg.void_after, in.stale_after * 4);
    return in;
  }
};

SyncEngine::SyncEngine(EngineConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {
  impl_->since_reset.assign(impl_->sources.size(), 1 << 20);
}
SyncEngine::~SyncEngine() = default;
SyncEngine::SyncEngine(SyncEngine&&) noexcept = default;
SyncEngine& SyncEngine::operator=(SyncEngine&&) noexcept = default;

Actions SyncEngine::start(uint64_t counter) {
  Impl& m = *impl_;
  m.start_counter = counter;
  for (Source& s : m.sources) s.start_burst(counter, m.cfg.burst);
  Actions a = m.base(counter);
  m.log(a, LogLevel::Notice, "starting with " + std::to_string(m.sources.size()) + " source(s)");
  for (std::size_t i = 0; i < m.sources.size(); ++i) m.poll(a, i, counter);
  m.finish(a, counter);
  return a;
}

Actions SyncEngine::on_timer(uint64_t counter) {
  Impl& m = *impl_;
  Actions a = m.base(counter);
  for (std::size_t i = 0; i < m.sources.size(); ++i) {
    if (m.sources[i].due(counter)) m.poll(a, i, counter);
  }
  m.refresh_holdover(a, counter);
  m.finish(a, counter);
  return a;
}

void SyncEngine::on_sent(std::size_t source, uint64_t nonce, uint64_t tx_counter) {
  if (source >= impl_->sources.size()) return;
  Source& s = impl_->sources[source];
  if (s.outstanding && s.outstanding->nonce == nonce) {
    s.outstanding->ta_counter = tx_counter;
    s.outstanding_sent = true;
  }
}

Actions SyncEngine::on_packet(std::size_t source, std::span<const uint8_t> bytes, uint64_t rx_counter) {
  Impl& m = *impl_;
  Actions a = m.base(rx_counter);
  if (source >= m.sources.size()) {
    m.finish(a, rx_counter);
    return a;
  }
  Source& s = m.sources[source];
  if (is_local(s) || !s.outstanding || !s.outstanding_sent) {
    s.on_rejected();  // nothing asked: a late duplicate or a stray datagram
    m.finish(a, rx_counter);
    return a;
  }
  auto r = s.matcher().match(bytes, *s.outstanding, rx_counter, m.utc_now(rx_counter));
  if (!r) {
    const ReplyRejection rej = r.error();
    s.on_rejected();
    if (rej.reason == RejectReason::Spoofed) {
      // Keep waiting for the genuine reply: a forged packet must not cancel it.
      m.log(a, LogLevel::Debug, "source " + s.config().name + ": reply does not match the request");
    } else if (rej.reason == RejectReason::KissOfDeath) {
      s.outstanding.reset();
      s.set_kod(std::string(rej.kiss.text()));
      if (rej.kiss.code == KissCode::Rate) {
        s.on_rate_kiss();
        m.log(a, LogLevel::Warning,
              "source " + s.config().name + " sent RATE: polling every 2^" + std::to_string(s.poll_log2()) +
                  " s");
      } else if (rej.kiss.code == KissCode::Deny || rej.kiss.code == KissCode::Rstr) {
        s.demobilize();
        s.state = SourceState::Demobilized;
        m.log(a, LogLevel::Warning,
              "source " + s.config().name + " sent " + std::string(rej.kiss.text()) + ": no longer polled");
        m.republish(a, rx_counter);
      }
      a.sources_changed = true;
    } else {
      s.outstanding.reset();  // answered, but not usable (unsynchronized server, bad stamps)
      m.log(a, LogLevel::Debug,
            "source " + s.config().name + ": reply rejected: " + std::string(to_string(rej.reason)));
      a.sources_changed = true;
    }
    m.finish(a, rx_counter);
    return a;
  }
  s.outstanding.reset();
  s.outstanding_sent = false;
  s.on_valid_reply(rx_counter);
  s.server = r->server;
  s.leap = r->server.leap;
  s.extra_bound = r->server.root_delay / 2 + r->server.root_dispersion;
  // The leap indicator: a majority of the sources that answer.
  int ins = 0, del = 0, voters = 0;
  for (const Source& o : m.sources) {
    if (is_local(o) || !o.last_update_counter || o.state == SourceState::Falseticker) continue;
    ++voters;
    ins += o.leap == LeapIndicator::InsertSecond;
    del += o.leap == LeapIndicator::DeleteSecond;
  }
  const UtcTime now = m.utc_now(rx_counter);
  const LeapIndicator before = m.leap.indicator(now);
  m.leap.set_indicator(2 * ins > voters   ? LeapIndicator::InsertSecond
                       : 2 * del > voters ? LeapIndicator::DeleteSecond
                                          : LeapIndicator::None,
                       now);
  if (m.leap.indicator(now) != before && m.leap.indicator(now) != LeapIndicator::None) {
    m.log(a, LogLevel::Notice,
          std::string("leap second announced by the sources: ") +
              (m.leap.indicator(now) == LeapIndicator::InsertSecond ? "insert" : "delete") +
              " at the end of the month");
  }
  m.feed(a, source, *r, rx_counter);
  m.finish(a, rx_counter);
  return a;
}

Actions SyncEngine::on_system_sample(const SystemSample& sample) {
  Impl& m = *impl_;
  Actions a = m.base(sample.counter_after);
  for (std::size_t i = 0; i < m.sources.size(); ++i) {
    Source& s = m.sources[i];
    if (s.config().mode != SourceMode::System || !s.outstanding) continue;
    s.outstanding.reset();
    s.on_valid_reply(sample.counter_after);
    s.kernel_synchronized = sample.kernel_synchronized;
    s.extra_bound = sample.kernel_maxerror;
    s.server = ServerInfo{1, LeapIndicator::None, kRefidSys, 0, Duration{}, Duration{}};
    Exchange ex;
    ex.ta = sample.counter_before;
    ex.tb = sample.realtime;
    ex.te = sample.realtime;
    ex.tf = sample.counter_after;
    ex.server = s.server;
    m.feed(a, i, ex, sample.counter_after);
  }
  m.finish(a, sample.counter_after);
  return a;
}

Actions SyncEngine::on_vmclock_sample(const VmclockSample& sample) {
  Impl& m = *impl_;
  const uint64_t now = sample.read_counter;
  Actions a = m.base(now);
  for (std::size_t i = 0; i < m.sources.size(); ++i) {
    Source& s = m.sources[i];
    if (!is_vmclock(s) || s.demobilized()) continue;
    s.outstanding.reset();
    auto r = read_host_clock(sample, m.cfg.counter_id, m.cfg.nominal_hz);
    if (!r) {
      s.on_rejected();
      if (s.unusable != r.error()) {
        m.log(a, LogLevel::Warning, "source " + s.config().name + " unusable: " + r.error());
        s.unusable = r.error();
        a.sources_changed = true;
      }
      s.state = SourceState::Unreachable;
      // A host that withdrew its time is out of selection at once.
      if (s.host_params) {
        s.host_params.reset();
        m.republish(a, now);
      }
      continue;
    }
    // The estimators run on TAI: a UTC host is unfolded with the engine's own leap state.
    TaiTime tai = TaiTime::from_fixed(r->time);
    if (r->utc) {
      const UtcTime u = UtcTime::from_fixed(r->time);
      if (m.leap.near_leap(u, kLeapGuard)) {
        s.on_rejected();  // ambiguous; the last reading's line (and bound) still holds
        continue;
      }
      tai = to_tai(u, m.leap.tai_minus_utc_at(u));
    }
    if (!s.unusable.empty()) {
      m.log(a, LogLevel::Notice, "source " + s.config().name + " usable again");
      s.unusable.clear();
    }
    ClockParams p;
    p.anchor_counter = r->counter;
    p.anchor_time = est_from_tai(tai);
    p.period = r->period;
    p.local_period = r->period;
    p.time_maxerror = r->maxerror;
    p.time_esterror = r->esterror;
    p.period_maxerror_rel = r->period_maxerror_rel;
    p.period_esterror_rel = r->period_esterror_rel;
    p.status = SyncStatus::Synchronized;
    s.host_params = p;
    s.on_valid_reply(now);
    s.kernel_synchronized = true;
    s.extra_bound = Duration{};
    s.server = ServerInfo{1, LeapIndicator::None, kRefidVmcl, 0, Duration{}, Duration{}};
    if (m.published) s.offset = tai_from_est(p.time_at(now)) - tai_from_est(m.published->time_at(now));
    ++m.since_reset[i];
    // No sources-page rewrite for each second's reading: a state change asks for one, and
    // the page's periodic refresh carries the new offset and bound.
    m.republish(a, now);
  }
  m.finish(a, now);
  return a;
}

Actions SyncEngine::on_vmclock_unreadable(uint64_t counter, const std::string& why) {
  Impl& m = *impl_;
  Actions a = m.base(counter);
  for (Source& s : m.sources) {
    if (!is_vmclock(s) || s.demobilized()) continue;
    s.outstanding.reset();
    s.on_rejected();
    if (s.unusable != why) {
      m.log(a, LogLevel::Warning, "source " + s.config().name + " unusable: " + why);
      s.unusable = why;
      a.sources_changed = true;
    }
    s.state = SourceState::Unreachable;
    if (s.host_params) {
      s.host_params.reset();
      m.republish(a, counter);
    }
  }
  m.finish(a, counter);
  return a;
}

Actions SyncEngine::on_disruption(uint64_t counter, DisruptionReason reason) {
  Impl& m = *impl_;
  Actions a = m.base(counter);
  for (std::size_t i = 0; i < m.sources.size(); ++i) {
    Source& s = m.sources[i];
    s.estimator().reset();
    s.host_params.reset();  // the host's old line is about the old counter too
    s.misses = 0;
    s.outstanding.reset();
    s.start_burst(counter, m.cfg.burst);
    m.since_reset[i] = 0;
  }
  ++m.step_generation;
  m.unreliable = true;
  m.disputed = false;
  m.pending_reference_step = true;
  m.reset_counter = counter;
  m.log(a, LogLevel::Warning,
        std::string("disruption (") + to_string(reason) + "): calibration discarded, re-acquiring (step " +
            std::to_string(m.step_generation) + ")");
  a.step = StepNotice{StepReason::Disruption, m.step_generation, Duration{}};
  m.publish_unreliable(a);
  // The old anchor means nothing on the new counter: forget it once the page says so.
  m.published.reset();
  m.combined.reset();
  for (std::size_t i = 0; i < m.sources.size(); ++i) m.poll(a, i, counter);
  a.sources_changed = true;
  m.finish(a, counter);
  return a;
}

Actions SyncEngine::on_leap_table(const LeapTable& table, uint64_t counter) {
  Impl& m = *impl_;
  Actions a = m.base(counter);
  const UtcTime now = m.utc_now(counter);
  m.leap.set_table(table, now);
  if (table.expired(now)) {
    m.log(a, LogLevel::Warning,
          "leap-second table expired: keeping TAI - UTC " + std::to_string(m.leap.tai_minus_utc_at(now)) +
              " s, later leaps from the sources' leap indicators");
  }
  if (m.published) m.republish(a, counter);
  m.finish(a, counter);
  return a;
}

Actions SyncEngine::on_poll_range(std::size_t source, int minpoll, int maxpoll, uint64_t counter) {
  Impl& m = *impl_;
  Actions a = m.base(counter);
  if (source < m.sources.size()) m.sources[source].set_poll_range(minpoll, maxpoll);
  m.finish(a, counter);
  return a;
}

std::size_t SyncEngine::source_count() const { return impl_->sources.size(); }

SourceSnapshot SyncEngine::source(std::size_t i) const {
  const Impl& m = *impl_;
  const Source& s = m.sources.at(i);
  SourceSnapshot snap = s.snapshot();
  if (auto p = m.params_of(s, m.last_counter)) snap.bound = p->maxerror_at(m.last_counter) + s.extra_bound;
  return snap;
}

EngineSummary SyncEngine::summary() const {
  const Impl& m = *impl_;
  EngineSummary out;
  out.selected = m.selected;
  out.step_generation = m.step_generation;
  const UtcTime now = m.utc_now(m.last_counter);
  out.leap = m.leap.indicator(now);
  out.tai_minus_utc = m.leap.tai_minus_utc_at(now);
  out.tai_offset_known = m.leap.offset_known();
  return out;
}

const EngineConfig& SyncEngine::config() const { return impl_->cfg; }

}  // namespace ffclock::core::engine
