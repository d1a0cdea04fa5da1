// SPDX-License-Identifier: BSD-2-Clause
// The metric families (see clock_metrics.hpp).
#include "clock_metrics.hpp"

#include <cmath>

#include "clock_names.hpp"
#include "exit_codes.hpp"

namespace ffclock::tool {
namespace {

using Type = Exposition::Type;

constexpr ClockStatus kStatuses[] = {ClockStatus::Unknown,      ClockStatus::Initializing,
                                     ClockStatus::Synchronized, ClockStatus::FreeRunning,
                                     ClockStatus::Unreliable,   ClockStatus::Disrupted};
constexpr const char* kSourceStates[] = {"selected",    "candidate",    "falseticker",
                                         "unreachable", "initializing", "demobilized"};

double seconds(Duration d) { return d.to_seconds(); }
double seconds_ns(int64_t ns) { return static_cast<double>(ns) / 1e9; }

void clock_families(Exposition& e, const PageView& v) {
  const ClockReading& r = v.reading;
  e.family("ffclock_status", Type::Gauge, "1 for the clock's current status, 0 for the others");
  for (ClockStatus s : kStatuses)
    e.sample("ffclock_status", {{"status", status_name(s)}}, r.status == s ? 1 : 0);
  e.family("ffclock_usable", Type::Gauge,
           "1 when the clock gives a time with a bound (synchronized or freerunning)");
  e.sample("ffclock_usable", usable(r) ? 1 : 0);
  e.family("ffclock_maxerror_seconds", Type::Gauge, "Bound on the clock's error now (+Inf when none)");
  e.sample("ffclock_maxerror_seconds", r.maxerror < kUnbounded ? seconds(r.maxerror) : INFINITY);
  if (v.esterror) {
    e.family("ffclock_esterror_seconds", Type::Gauge, "Estimated error of the clock now (1 sigma)");
    e.sample("ffclock_esterror_seconds", seconds(*v.esterror));
  }
  if (v.rate_esterror) {
    e.family("ffclock_rate_esterror_ratio", Type::Gauge, "Estimated relative error of the counter period");
    e.sample("ffclock_rate_esterror_ratio", *v.rate_esterror);
  }
  if (v.rate_maxerror) {
    e.family("ffclock_rate_maxerror_ratio", Type::Gauge, "Bound on the relative error of the counter period");
    e.sample("ffclock_rate_maxerror_ratio", *v.rate_maxerror);
  }
  if (v.nominal_hz) {
    e.family("ffclock_period_offset_ratio", Type::Gauge,
             "Counter period relative to nominal, minus 1 (kind: long_term or local)");
    if (v.period.frac != 0)
      e.sample("ffclock_period_offset_ratio", {{"kind", "long_term"}},
               period_ppm(v.period, *v.nominal_hz) / 1e6);
    if (v.local_period.frac != 0) {
      e.sample("ffclock_period_offset_ratio", {{"kind", "local"}},
               period_ppm(v.local_period, *v.nominal_hz) / 1e6);
    }
  }
  e.family("ffclock_last_update_age_seconds", Type::Gauge, "Time since the daemon last published the clock");
  e.sample("ffclock_last_update_age_seconds", seconds(v.since_update));
  e.family("ffclock_publications_total", Type::Counter,
           "Publications of the clock page since it was created");
  e.sample("ffclock_publications_total", static_cast<double>(v.publications));
  e.family("ffclock_steps_total", Type::Counter, "Steps of absolute time (the page's step generation)");
  e.sample("ffclock_steps_total", static_cast<double>(r.step_generation));
  e.family("ffclock_tai_offset_seconds", Type::Gauge, "TAI minus UTC");
  e.sample("ffclock_tai_offset_seconds", r.tai_minus_utc);
  e.family("ffclock_leap_pending", Type::Gauge, "+1 or -1 while a leap second is scheduled, else 0");
  e.sample("ffclock_leap_pending", r.leap_event.delta);
  e.family("ffclock_reference_stratum", Type::Gauge, "Stratum of the reference the clock follows");
  e.sample("ffclock_reference_stratum", v.stratum);
  e.family("ffclock_root_delay_seconds", Type::Gauge, "Round-trip delay to the primary reference");
  e.sample("ffclock_root_delay_seconds", seconds(v.root_delay));
  e.family("ffclock_root_dispersion_seconds", Type::Gauge, "Dispersion to the primary reference");
  e.sample("ffclock_root_dispersion_seconds", seconds(v.root_dispersion));
}

void source_families(Exposition& e, const SourcesPage& p) {
  e.family("ffclock_source_state", Type::Gauge,
           "1 for the source's current selection state, 0 for the others");
  e.family("ffclock_source_reach", Type::Gauge, "The source's 8-bit reachability register");
  e.family("ffclock_source_poll_seconds", Type::Gauge, "The source's polling interval");
  e.family("ffclock_source_stratum", Type::Gauge, "The source's stratum (0: unknown)");
  e.family("ffclock_source_offset_seconds", Type::Gauge,
           "The source's clock minus the published clock at its last exchange");
  e.family("ffclock_source_rtt_seconds", Type::Gauge, "Round-trip time of the source's last exchange");
  e.family("ffclock_source_min_rtt_seconds", Type::Gauge, "Smallest round-trip time seen from the source");
  e.family("ffclock_source_bound_seconds", Type::Gauge, "Half-width of the source's own error interval");
  e.family("ffclock_source_last_update_age_seconds", Type::Gauge,
           "Time since the source's last accepted exchange");
  e.family("ffclock_source_exchanges_total", Type::Counter, "Exchanges accepted from the source");
  e.family("ffclock_source_rejected_total", Type::Counter, "Exchanges rejected from the source");
  for (const SourceEntry& s : p.sources) {
    const Labels id{{"source", s.name}, {"address", s.address}};
    for (const char* state : kSourceStates) {
      Labels l = id;
      l.emplace_back("state", state);
      e.sample("ffclock_source_state", l, s.state == state ? 1 : 0);
    }
    e.sample("ffclock_source_reach", id, s.reach);
    e.sample("ffclock_source_poll_seconds", id, std::ldexp(1.0, s.poll_log2));
    e.sample("ffclock_source_stratum", id, s.stratum);
    if (s.offset_ns) e.sample("ffclock_source_offset_seconds", id, seconds_ns(*s.offset_ns));
    if (s.last_rtt_ns) e.sample("ffclock_source_rtt_seconds", id, seconds_ns(*s.last_rtt_ns));
    if (s.min_rtt_ns) e.sample("ffclock_source_min_rtt_seconds", id, seconds_ns(*s.min_rtt_ns));
    if (s.bound_ns) e.sample("ffclock_source_bound_seconds", id, seconds_ns(*s.bound_ns));
    if (s.last_update_age_s) e.sample("ffclock_source_last_update_age_seconds", id, *s.last_update_age_s);
    e.sample("ffclock_source_exchanges_total", id, static_cast<double>(s.exchanges));
    e.sample("ffclock_source_rejected_total", id, static_cast<double>(s.rejected));
  }
  if (p.server) {
    const ServerCounters& c = *p.server;
    e.family("ffclock_server_requests_total", Type::Counter, "NTP requests received by the daemon's server");
    e.sample("ffclock_server_requests_total", static_cast<double>(c.requests));
    e.family("ffclock_server_replies_total", Type::Counter, "NTP replies sent by the daemon's server");
    e.sample("ffclock_server_replies_total", static_cast<double>(c.replies));
    e.family("ffclock_server_kod_sent_total", Type::Counter,
             "Kiss-o'-death replies sent by the daemon's server");
    e.sample("ffclock_server_kod_sent_total", static_cast<double>(c.kod_sent));
    e.family("ffclock_server_dropped_total", Type::Counter,
             "NTP requests dropped by the daemon's server, by reason");
    for (const auto& [reason, n] : c.dropped)
      e.sample("ffclock_server_dropped_total", {{"reason", reason}}, static_cast<double>(n));
  }
}

}  // namespace

MetricsInput collect_metrics(const PagePaths& paths, const CliEnv& env) {
  MetricsInput in;
  try {
    const Clock clock = open_clock_page(paths.page, env);
    in.clock = read_page_view(clock, env);
  } catch (const CommandError& e) {
    in.clock_error = e.what();
    in.clock_error_code = e.code();
  }
  if (auto sources = load_sources_page(paths.sources_page)) {
    in.sources = std::move(sources).value();
  } else {
    in.sources_error = sources.error().message;
    in.sources_error_code = sources.error().not_found ? kExitNotUsable : kExitUsage;
  }
  return in;
}

Exposition build_metrics(const MetricsInput& in) {
  Exposition e;
  e.family("ffclock_clock_page_up", Type::Gauge, "1 when the clock page could be read");
  e.sample("ffclock_clock_page_up", in.clock ? 1 : 0);
  e.family("ffclock_sources_page_up", Type::Gauge, "1 when the sources page could be read");
  e.sample("ffclock_sources_page_up", in.sources ? 1 : 0);
  if (in.clock) clock_families(e, *in.clock);
  if (in.sources) source_families(e, *in.sources);
  return e;
}

}  // namespace ffclock::tool
