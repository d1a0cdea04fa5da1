// SPDX-License-Identifier: BSD-2-Clause
// Text and JSON for `now` and `status` (see clock_report.hpp).
#include "clock_report.hpp"

#include <fmt/format.h>

#include "clock_names.hpp"
#include "core/time/rfc3339.hpp"
#include "time_text.hpp"

namespace ffclock::tool {
namespace {

using nlohmann::json;

constexpr SmearKind kSmears[] = {SmearKind::NoonLinear, SmearKind::UtcSls, SmearKind::Cosine};

// UTC smeared over the next leap, from the same reading (the page's window when it names the
// same kind, else the kind's standard one); plain UTC when no leap is scheduled.
UtcTime smeared(const ClockReading& r, SmearKind kind) {
  if (r.leap_event.delta == 0) return r.utc;
  const SmearWindow w = r.smear_hint == kind ? r.smear_window : standard_window(kind);
  return smeared_utc(r.tai, r.leap_event, kind, w);
}

bool bounded(const ClockReading& r) { return r.maxerror < kUnbounded; }

json nanos_or_null(const std::optional<Duration>& d) { return d ? json(saturated_nanos(*d)) : json(nullptr); }

// The keys `now` and `status` share.
json reading_json(const PageView& v) {
  const ClockReading& r = v.reading;
  return json{{"status", status_name(r.status)},
              {"usable", usable(r)},
              {"utc", utc_text(r)},
              {"tai", v.tai_offset_valid ? json(tai_text(r.tai)) : json(nullptr)},
              {"earliest", core::format_rfc3339(r.earliest)},
              {"latest", core::format_rfc3339(r.latest)},
              {"maxerror_ns", bounded(r) ? json(r.maxerror.to_nanoseconds()) : json(nullptr)},
              {"esterror_ns", nanos_or_null(v.esterror)},
              {"leap", leap_name(r.leap)},
              {"tai_minus_utc", v.tai_offset_valid ? json(r.tai_minus_utc) : json(nullptr)},
              {"step_generation", r.step_generation}};
}

// The host's vmclock DISRUPTION_SOON / _IMMINENT flags, passed on by ffclockd.
const char* host_disruption_name(const ClockReading& r) {
  return r.disruption_imminent ? "imminent" : r.disruption_soon ? "soon" : "none";
}

std::string bound_text(const ClockReading& r) {
  return bounded(r) ? "+-" + duration_text(r.maxerror) : "unbounded";
}
std::string esterror_text(const PageView& v) {
  return v.esterror ? "+-" + duration_text(*v.esterror) : "not published";
}

std::string leap_text(const PageView& v) {
  const ClockReading& r = v.reading;
  std::string s = v.tai_offset_valid ? fmt::format("{} (TAI-UTC {} s", leap_name(r.leap), r.tai_minus_utc)
                                     : fmt::format("{} (TAI-UTC unknown", leap_name(r.leap));
  if (r.leap_event.delta != 0) {
    s += fmt::format(", {} second at {}", r.leap_event.delta > 0 ? "inserted" : "deleted",
                     core::format_rfc3339(UtcTime::from_unix(r.leap_event.leap_utc_s), 0));
  }
  return s + ")";
}

std::string period_text(CounterPeriod p, const std::optional<uint64_t>& nominal_hz) {
  std::string s = fmt::format("{:.12f} ns", static_cast<double>(p.to_seconds() * 1e9L));
  if (p.frac == 0) return "not published";
  if (nominal_hz)
    s += fmt::format(" ({:+.3f} ppm vs nominal {} Hz)", period_ppm(p, *nominal_hz), *nominal_hz);
  return s;
}

json ppm_or_null(CounterPeriod p, const std::optional<uint64_t>& nominal_hz) {
  return nominal_hz && p.frac != 0 ? json(period_ppm(p, *nominal_hz)) : json(nullptr);
}

}  // namespace

json now_to_json(const PageView& v) {
  json j = reading_json(v);
  json smears = json::object();
  for (SmearKind k : kSmears) smears[smear_name(k)] = core::format_rfc3339(smeared(v.reading, k));
  j["smeared"] = smears;
  j["smear_hint"] = smear_name(v.reading.smear_hint);
  j["monotonic_ns"] = v.monotonic ? json(saturated_nanos(*v.monotonic)) : json(nullptr);
  return j;
}

std::string now_to_text(const PageView& v) {
  const ClockReading& r = v.reading;
  std::string s;
  s += fmt::format("UTC        {}\n", utc_text(r));
  // Without TAI − UTC the page's TAI would be UTC under another name.
  s += v.tai_offset_valid
           ? fmt::format("TAI        {} (TAI)\n", tai_text(r.tai))
           : std::string("TAI        unknown (no TAI-UTC published: ffclockd has no leap-second table)\n");
  s += fmt::format("Earliest   {}\n", core::format_rfc3339(r.earliest));
  s += fmt::format("Latest     {}\n", core::format_rfc3339(r.latest));
  s += fmt::format("Max error  {}\n", bound_text(r));
  s += fmt::format("Est error  {}\n", esterror_text(v));
  s += fmt::format("Status     {}\n", status_name(r.status));
  s += fmt::format("Leap       {}\n", leap_text(v));
  for (SmearKind k : kSmears) {
    s += fmt::format("Smeared    {:<12} {}{}\n", smear_name(k), core::format_rfc3339(smeared(r, k)),
                     r.smear_hint == k && r.leap_event.delta != 0 ? " (recommended)" : "");
  }
  if (v.monotonic) s += fmt::format("Monotonic  {:.9f} s\n", v.monotonic->to_seconds_ld());
  s += fmt::format("Steps      {}\n", r.step_generation);
  return s;
}

json status_to_json(const PageView& v, const std::optional<SourcesPage>& sources) {
  json j = reading_json(v);
  j["selected"] = sources && sources->selected ? json(*sources->selected) : json(nullptr);
  j["stratum"] = v.stratum;
  j["refid"] = refid_text(v.refid, v.stratum);
  j["counter"] = counter_name(v.counter_id);
  j["nominal_hz"] = v.nominal_hz ? json(*v.nominal_hz) : json(nullptr);
  j["period_ns"] = static_cast<double>(v.period.to_seconds() * 1e9L);
  j["period_ppm"] = ppm_or_null(v.period, v.nominal_hz);
  j["local_period_ns"] = static_cast<double>(v.local_period.to_seconds() * 1e9L);
  j["local_period_ppm"] = ppm_or_null(v.local_period, v.nominal_hz);
  j["rate_esterror_ppm"] = v.rate_esterror ? json(*v.rate_esterror * 1e6) : json(nullptr);
  j["rate_maxerror_ppm"] = v.rate_maxerror ? json(*v.rate_maxerror * 1e6) : json(nullptr);
  j["root_delay_ns"] = saturated_nanos(v.root_delay);
  j["root_dispersion_ns"] = saturated_nanos(v.root_dispersion);
  j["last_update_age_s"] = v.since_update.to_seconds();
  j["publications"] = v.publications;
  j["leap_table_expired"] = v.leap_table_expired;
  j["host_disruption"] = host_disruption_name(v.reading);
  return j;
}

std::string status_to_text(const PageView& v, const std::optional<SourcesPage>& sources) {
  const ClockReading& r = v.reading;
  std::string selected = "(sources page not read)";
  if (sources) selected = sources->selected ? *sources->selected : "none";
  const std::string refid = refid_text(v.refid, v.stratum);
  std::string rate = "not published";
  if (v.rate_esterror || v.rate_maxerror) {
    rate = fmt::format("+-{} ppm estimated, +-{} ppm bound",
                       v.rate_esterror ? fmt::format("{:.3f}", *v.rate_esterror * 1e6) : "?",
                       v.rate_maxerror ? fmt::format("{:.3f}", *v.rate_maxerror * 1e6) : "?");
  }
  std::string s;
  s += fmt::format("Status          : {}\n", status_name(r.status));
  // Only when the host announces one: most machines never see this line.
  if (r.disruption_soon || r.disruption_imminent)
    s += fmt::format("Host disruption : {}\n", host_disruption_name(r));
  s += fmt::format("Selected source : {}\n", selected);
  s += fmt::format("Source stratum  : {}{}\n", v.stratum, refid.empty() ? "" : " (reference " + refid + ")");
  s += fmt::format("Max error       : {}\n", bound_text(r));
  s += fmt::format("Est error       : {}\n", esterror_text(v));
  s += fmt::format("Counter         : {}\n", counter_name(v.counter_id));
  s += fmt::format("Period          : {}\n", period_text(v.period, v.nominal_hz));
  s += fmt::format("Local period    : {}\n", period_text(v.local_period, v.nominal_hz));
  s += fmt::format("Rate error      : {}\n", rate);
  s += fmt::format("Root delay      : {}\n", duration_text(v.root_delay));
  s += fmt::format("Root dispersion : {}\n", duration_text(v.root_dispersion));
  s += fmt::format("Last update     : {} ago ({} publication{})\n", duration_text(v.since_update),
                   v.publications, v.publications == 1 ? "" : "s");
  s += fmt::format("Leap            : {}{}\n", leap_text(v),
                   v.leap_table_expired ? ", leap table expired" : "");
  s += fmt::format("Step generation : {}\n", r.step_generation);
  s += fmt::format("UTC             : {}\n", utc_text(r));
  return s;
}

}  // namespace ffclock::tool
