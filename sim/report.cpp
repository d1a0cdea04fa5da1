// SPDX-License-Identifier: BSD-2-Clause
#include "sim/report.hpp"

#include <fmt/format.h>

namespace ffclock::sim {

Summary MultiRun::merged() const {
  Metrics all;
  for (const RunResult& r : runs) all.merge(r.metrics);
  return all.summary(worst_convergence());
}

std::optional<double> MultiRun::worst_convergence() const {
  double worst = 0;
  for (const RunResult& r : runs) {
    if (!r.convergence_s) return std::nullopt;
    worst = std::max(worst, *r.convergence_s);
  }
  return worst;
}

namespace {

nlohmann::json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json summary_json(const Summary& s) {
  nlohmann::json j;
  j["abs_error_us"] = {{"rms", s.abs_rms_us}, {"mean", s.abs_mean_us}, {"median", s.abs_median_us},
                       {"p95", s.abs_p95_us}, {"p99", s.abs_p99_us},   {"max", s.abs_max_us}};
  j["rate_error_ppb"] = {{"rms", s.rate_rms_ppb}, {"max", s.rate_max_ppb}};
  j["local_rate_error_ppb"] = {{"rms", s.local_rate_rms_ppb}, {"max", s.local_rate_max_ppb}};
  j["diff_error_ns"] = {
      {"1s", s.diff1_rms_ns},
      {"1000s", s.diff1000_rms_ns},
      {"86400s", s.diff86400_samples ? nlohmann::json(s.diff86400_rms_ns) : nlohmann::json(nullptr)},
      {"max_1s", s.diff1_max_ns},
      {"max_1000s", s.diff1000_max_ns},
      {"max_86400s", s.diff86400_samples ? nlohmann::json(s.diff86400_max_ns) : nlohmann::json(nullptr)}};
  j["bound_coverage"] = s.coverage;
  j["bound_width_us"] = {{"mean", s.bound_width_mean_us}};
  j["esterror"] = {
      {"rms_us", s.esterror_rms_us}, {"ratio", s.esterror_ratio}, {"within_3", s.within_3_esterror}};
  j["convergence_s"] = optional_number(s.convergence_s);
  j["monotonic_backsteps"] = s.monotonic_backsteps;
  j["absolute_backsteps"] = s.absolute_backsteps;
  j["absolute_max_backstep_us"] = s.absolute_max_backstep_us;
  j["samples"] = s.samples;
  j["unavailable_s"] = s.unavailable;
  return j;
}

nlohmann::json verdicts_json(const VerdictCounts& v) {
  return {{"used", v.used},
          {"used_warmup", v.warmup},
          {"rejected_insane", v.insane},
          {"rejected_server", v.server},
          {"kept_old_period", v.kept_period},
          {"kept_old_offset", v.kept_offset},
          {"server_changed", v.server_changed}};
}

}  // namespace

nlohmann::json to_json(const MultiRun& m) {
  nlohmann::json j = summary_json(m.merged());
  j["scenario"] = m.scenario;
  j["description"] = m.description;
  j["estimator"] = m.estimator;
  uint64_t exchanges = 0, requests = 0;
  double simulated = 0, wall = 0, cpu = 0;
  nlohmann::json seeds = nlohmann::json::array();
  nlohmann::json runs = nlohmann::json::array();
  for (const RunResult& r : m.runs) {
    exchanges += r.exchanges;
    requests += r.requests;
    simulated += r.simulated_s;
    wall += r.wall_s;
    cpu += r.cpu_s;
    seeds.push_back(r.seed);
    nlohmann::json rj = summary_json(r.metrics.summary(r.convergence_s));
    rj["seed"] = r.seed;
    rj["exchanges"] = r.exchanges;
    rj["requests"] = r.requests;
    rj["verdicts"] = verdicts_json(r.verdicts);
    rj["steps"] = r.steps;
    rj["detected_disruptions"] = r.detected_disruptions;
    nlohmann::json sources = nlohmann::json::array();
    for (const SourceOutcome& so : r.sources) {
      sources.push_back({{"state", so.state}, {"exchanges", so.exchanges}, {"rejected", so.rejected}});
    }
    rj["sources"] = sources;
    rj["simulated_s"] = r.simulated_s;
    rj["wall_s"] = r.wall_s;
    rj["cpu_s"] = r.cpu_s;
    nlohmann::json events = nlohmann::json::array();
    for (const EventOutcome& e : r.events) {
      events.push_back({{"type", to_string(e.event.kind)},
                        {"at_s", e.event.at_s},
                        {"recovery_s", optional_number(e.recovery_s)},
                        {"worst_abs_error_us", e.worst_abs_error_us},
                        {"unavailable_s", e.unavailable_s}});
    }
    rj["events"] = events;
    runs.push_back(rj);
  }
  j["seeds"] = seeds;
  j["exchanges"] = exchanges;
  j["requests"] = requests;
  j["simulated_s"] = simulated;
  j["wall_s"] = wall;
  j["cpu_s"] = cpu;
  j["runs"] = runs;
  return j;
}

namespace {
std::string row(const std::string& label, const Summary& s, uint64_t exchanges, double wall_s) {
  return fmt::format(
      "{:<10} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.1f} {:>8.4f} {:>9.1f} {:>6.2f} {:>6.4f} {:>8} {:>8.2f} "
      "{:>8.2f} {:>8.2f} {:>9.2f} {:>9} {:>7.2f}\n",
      label, s.abs_rms_us, s.abs_mean_us, s.abs_p99_us, s.abs_max_us, s.coverage, s.bound_width_mean_us,
      s.esterror_ratio, s.within_3_esterror,
      s.convergence_s ? fmt::format("{:.0f}", *s.convergence_s) : std::string("never"), s.rate_rms_ppb,
      s.local_rate_rms_ppb, s.diff1_rms_ns, s.diff1000_rms_ns, exchanges, wall_s);
}
}  // namespace

std::string format_table(const MultiRun& m) {
  std::string out = fmt::format("scenario {} (estimator: {})\n", m.scenario, m.estimator);
  out += fmt::format(
      "{:<10} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9} {:>6} {:>6} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>7}\n",
      "seed", "rms_us", "mean_us", "p99_us", "max_us", "cover", "width_us", "est_r", "in3est", "conv_s",
      "rate_ppb", "lrate_ppb", "d1s_ns", "d1000s_ns", "exchanges", "wall_s");
  uint64_t exchanges = 0;
  double wall = 0;
  for (const RunResult& r : m.runs) {
    out += row(std::to_string(r.seed), r.metrics.summary(r.convergence_s), r.exchanges, r.wall_s);
    exchanges += r.exchanges;
    wall += r.wall_s;
  }
  if (m.runs.size() > 1) out += row("all", m.merged(), exchanges, wall);
  return out;
}

std::string format_events(const MultiRun& m, double threshold_us) {
  std::string out;
  for (const RunResult& r : m.runs) {
    for (const EventOutcome& e : r.events) {
      out += fmt::format(
          "seed {} event {} at {:.0f} s: recovery (|err| < {} us) {}, worst |err| {:.1f} us, unavailable {} "
          "s\n",
          r.seed, to_string(e.event.kind), e.event.at_s, threshold_us,
          e.recovery_s ? fmt::format("{:.0f} s", *e.recovery_s) : std::string("never"), e.worst_abs_error_us,
          e.unavailable_s);
    }
  }
  return out;
}

std::string format_trace_csv(const RunResult& r) {
  std::string out = "t_s,error_us,maxerror_us,esterror_us\n";
  out.reserve(out.size() + r.trace.size() * 40);
  for (const TracePoint& p : r.trace) {
    // %.6g keeps picoseconds on a microsecond scale: enough for any figure the simulator makes.
    out += fmt::format("{},{:.6g},{:.6g},{:.6g}\n", p.t_s, p.error_us, p.maxerror_us, p.esterror_us);
  }
  return out;
}

}  // namespace ffclock::sim
