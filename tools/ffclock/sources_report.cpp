// SPDX-License-Identifier: BSD-2-Clause
// Text and JSON for `sources` (see sources_report.hpp).
#include "sources_report.hpp"

#include <fmt/format.h>

#include "text_table.hpp"
#include "time_text.hpp"

namespace ffclock::tool {
namespace {

using nlohmann::json;

template <class T>
json or_null(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// chronyc's column-0 markers: * selected, + candidate, x falseticker, ? unreachable.
const char* marker(const std::string& state) {
  if (state == "selected") return "*";
  if (state == "candidate") return "+";
  if (state == "falseticker") return "x";
  if (state == "unreachable") return "?";
  if (state == "initializing") return "~";
  if (state == "demobilized") return "-";
  return " ";
}

// Names come from a file: control characters would drive the terminal, so they show as '?'.
std::string printable(const std::string& text) {
  std::string out = text;
  for (char& ch : out) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
  }
  return out;
}

std::string ns_or_dash(const std::optional<int64_t>& ns) { return ns ? nanos_text(*ns) : "-"; }

std::string age_text(const std::optional<double>& s) {
  if (!s) return "-";
  return *s < 100 ? fmt::format("{:.1f}s", *s) : fmt::format("{:.0f}s", *s);
}

}  // namespace

json sources_to_json(const SourcesPage& page, std::optional<double> age_s) {
  json list = json::array();
  for (const SourceEntry& s : page.sources) {
    list.push_back(json{{"name", s.name},
                        {"address", s.address},
                        {"mode", s.mode},
                        {"state", s.state},
                        {"reach", s.reach},
                        {"reach_octal", fmt::format("{:o}", s.reach)},
                        {"poll_log2", s.poll_log2},
                        {"stratum", s.stratum},
                        {"refid", s.refid},
                        {"last_rtt_ns", or_null(s.last_rtt_ns)},
                        {"min_rtt_ns", or_null(s.min_rtt_ns)},
                        {"offset_ns", or_null(s.offset_ns)},
                        {"bound_ns", or_null(s.bound_ns)},
                        {"last_update_age_s", or_null(s.last_update_age_s)},
                        {"exchanges", s.exchanges},
                        {"rejected", s.rejected},
                        {"kod", or_null(s.kod)},
                        {"unusable", or_null(s.unusable)}});
  }
  return json{{"selected", or_null(page.selected)},
              {"step_generation", page.step_generation},
              {"leap", page.leap},
              {"written_utc", page.written_utc},
              {"page_age_s", or_null(age_s)},
              {"sources", list}};
}

std::string sources_to_text(const SourcesPage& page, std::optional<double> age_s) {
  TextTable t;
  t.headers = {"S",     "Name",   "Address",  "State",   "St",     "Poll",
               "Reach", "LastRx", "Last RTT", "Min RTT", "Offset", "Bound"};
  t.align = {Align::Left,  Align::Left,  Align::Left,  Align::Left,  Align::Right, Align::Right,
             Align::Right, Align::Right, Align::Right, Align::Right, Align::Right, Align::Right};
  for (const SourceEntry& s : page.sources) {
    std::string state = s.state.empty() ? "?" : printable(s.state);
    if (s.kod) state += " (KoD " + printable(*s.kod) + ")";
    if (s.unusable) state += " (" + printable(*s.unusable) + ")";
    t.rows.push_back({marker(s.state), printable(s.name), s.address.empty() ? "-" : printable(s.address),
                      state, std::to_string(s.stratum), std::to_string(s.poll_log2),
                      fmt::format("{:o}", s.reach), age_text(s.last_update_age_s), ns_or_dash(s.last_rtt_ns),
                      ns_or_dash(s.min_rtt_ns), ns_or_dash(s.offset_ns), ns_or_dash(s.bound_ns)});
  }
  std::string out =
      fmt::format("{} source{}, selected: {}, step generation {}, leap {}", page.sources.size(),
                  page.sources.size() == 1 ? "" : "s", printable(page.selected.value_or("none")),
                  page.step_generation, printable(page.leap));
  if (age_s) out += fmt::format(", written {:.1f} s ago", *age_s);
  out += "\n";
  return out + (page.sources.empty() ? std::string() : t.render(""));
}

}  // namespace ffclock::tool
