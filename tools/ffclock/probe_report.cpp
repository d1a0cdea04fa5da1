// SPDX-License-Identifier: BSD-2-Clause
// Text and JSON renderings of the machine probe (see probe_report.hpp).
#include "probe_report.hpp"

#include <fmt/format.h>

#include "text_table.hpp"

namespace ffclock::tool {
namespace {

using platform::CounterSourceReport;
using platform::MachineProbe;

std::string yes_no(bool b) { return b ? "yes" : "no"; }

std::string frequency_text(const CounterSourceReport& c) {
  if (!c.available || c.facts.info.nominal_hz == 0) return "-";
  return fmt::format("{:.6f} MHz", static_cast<double>(c.facts.info.nominal_hz) / 1e6);
}

std::string uncertainty_text(const CounterSourceReport& c) {
  if (!c.available || !c.facts.frequency_uncertainty_ppm) return "-";
  return fmt::format("±{:.2f} ppm", *c.facts.frequency_uncertainty_ppm);
}

std::string invariant_text(const CounterSourceReport& c) {
  if (!c.available || !c.facts.invariant) return "-";
  return yes_no(*c.facts.invariant);
}

}  // namespace

nlohmann::json probe_to_json(const MachineProbe& p) {
  nlohmann::json j;
  j["architecture"] = p.architecture;
  j["kernel_clocksource"] =
      p.kernel_clocksource ? nlohmann::json(*p.kernel_clocksource) : nlohmann::json(nullptr);
  if (!p.kernel_clocksource) j["kernel_clocksource_error"] = p.kernel_clocksource_error;
  j["vmclock"] = {{"path", p.vmclock_path}, {"present", p.vmclock_present}};
  j["auto"] = {{"counter", platform::counter_kind_name(p.auto_choice.kind)},
               {"reason", p.auto_choice.reason}};

  nlohmann::json counters = nlohmann::json::array();
  for (const auto& c : p.counters) {
    nlohmann::json e{{"name", c.name}, {"available", c.available}};
    if (!c.available) {
      e["unavailable_reason"] = c.unavailable_reason;
    } else {
      const auto& f = c.facts;
      e["trustworthy"] = f.info.trustworthy;
      e["why"] = f.info.why;
      e["nominal_hz"] = f.info.nominal_hz;
      e["frequency_source"] = f.frequency_source;
      e["frequency_uncertainty_ppm"] = f.frequency_uncertainty_ppm
                                           ? nlohmann::json(*f.frequency_uncertainty_ppm)
                                           : nlohmann::json(nullptr);
      e["invariant"] = f.invariant ? nlohmann::json(*f.invariant) : nlohmann::json(nullptr);
    }
    counters.push_back(std::move(e));
  }
  j["counters"] = std::move(counters);

  nlohmann::json costs = nlohmann::json::array();
  for (const auto& r : p.read_costs) {
    costs.push_back({{"read", r.what},
                     {"median_ns", r.cost.median_ns},
                     {"min_ns", r.cost.min_ns},
                     {"max_ns", r.cost.max_ns},
                     {"batches", r.cost.batches},
                     {"reads_per_batch", r.cost.reads_per_batch},
                     {"ratio_to_clock_gettime_realtime", r.ratio_to_realtime}});
  }
  j["read_cost"] = std::move(costs);
  return j;
}

std::string probe_to_text(const MachineProbe& p) {
  std::string out;
  TextTable machine{{"machine", ""}, {}, {}};
  machine.rows.push_back({"architecture", p.architecture});
  machine.rows.push_back({"kernel clocksource", p.kernel_clocksource
                                                    ? *p.kernel_clocksource
                                                    : "unknown (" + p.kernel_clocksource_error + ")"});
  machine.rows.push_back(
      {"vmclock device", fmt::format("{} ({})", p.vmclock_path, p.vmclock_present ? "present" : "absent")});
  machine.rows.push_back({"auto counter", std::string{platform::counter_kind_name(p.auto_choice.kind)}});
  machine.rows.push_back({"auto because", p.auto_choice.reason});
  out += machine.render();

  TextTable counters{
      {"counter", "available", "trusted", "invariant", "nominal frequency", "from", "uncertainty", "why"},
      {Align::Left, Align::Left, Align::Left, Align::Left, Align::Right, Align::Left, Align::Right},
      {}};
  for (const auto& c : p.counters) {
    if (!c.available) {
      counters.rows.push_back({c.name, "no", "-", "-", "-", "-", "-", c.unavailable_reason});
      continue;
    }
    counters.rows.push_back({c.name, "yes", yes_no(c.facts.info.trustworthy), invariant_text(c),
                             frequency_text(c), c.facts.frequency_source, uncertainty_text(c),
                             c.facts.info.why});
  }
  // Appended piecewise: `"\n" + render()` makes GCC 12 at -O3 report a false -Wrestrict
  // (GCC bug 105329) in the string concatenation.
  out += '\n';
  out += counters.render();

  if (!p.read_costs.empty()) {
    const auto& first = p.read_costs.front().cost;
    TextTable costs{{"read cost", "median ns", "min ns", "max ns", "x clock_gettime(REALTIME)"},
                    {Align::Left, Align::Right, Align::Right, Align::Right, Align::Right},
                    {}};
    for (const auto& r : p.read_costs) {
      costs.rows.push_back({r.what, fmt::format("{:.2f}", r.cost.median_ns),
                            fmt::format("{:.2f}", r.cost.min_ns), fmt::format("{:.2f}", r.cost.max_ns),
                            fmt::format("{:.3f}", r.ratio_to_realtime)});
    }
    out += '\n';
    out += costs.render();
    out += fmt::format("  (median of {} batches of {} reads each, measured in this run)\n", first.batches,
                       first.reads_per_batch);
  }
  return out;
}

}  // namespace ffclock::tool
