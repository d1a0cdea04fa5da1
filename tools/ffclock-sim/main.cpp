// ffclock-sim: runs a scenario against the estimator and reports how close the published
// clock stayed to true time (table, JSON, SVG), or replays RADclock ascii stamps.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/estimator_clock.hpp"
#include "sim/naive_clock.hpp"
#include "sim/replay.hpp"
#include "sim/report.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulation.hpp"
#include "sim/svg_plot.hpp"
#include "common/cli11.hpp"

namespace {

using namespace ffclock;

std::unique_ptr<sim::ClockUnderTest> make_clock(const std::string& kind, const sim::Scenario& s) {
  if (kind == "naive") return std::make_unique<sim::NaiveClock>(1.0L / s.oscillator.nominal_hz);
  core::EstimatorConfig config = s.estimator;
  config.nominal_period_s = 1.0L / s.oscillator.nominal_hz;
  config.poll_s = s.client.poll_s;
  config.burst = std::max(1, s.client.burst);
  return std::make_unique<sim::EstimatorClock>(config);
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "ffclock-sim: cannot write " << path << "\n";
    return false;
  }
  return true;
}

int run_command(const std::string& path, std::vector<uint64_t> seeds, const std::string& json_out,
                const std::string& plot_out, double duration_s, double warmup_s, const std::string& estimator) {
  auto loaded = sim::load_scenario_file(path);
  if (!loaded) {
    std::cerr << "ffclock-sim: " << loaded.error().message() << "\n";
    return 2;
  }
  sim::Scenario scenario = *loaded;
  if (duration_s > 0) scenario.metrics.duration_s = duration_s;
  if (warmup_s >= 0) scenario.metrics.warmup_s = warmup_s;
  if (seeds.empty()) seeds.push_back(scenario.seed);

  sim::MultiRun multi{scenario.name, scenario.description, estimator, {}};
  for (const uint64_t seed : seeds) {
    auto clock = make_clock(estimator, scenario);
    multi.runs.push_back(sim::simulate(scenario, seed, *clock));
  }
  std::cout << sim::format_table(multi);
  const std::string events = sim::format_events(multi, scenario.metrics.convergence_threshold_us);
  if (!events.empty()) std::cout << events;
  double simulated = 0, wall = 0, cpu = 0;
  for (const auto& r : multi.runs) {
    simulated += r.simulated_s;
    wall += r.wall_s;
    cpu += r.cpu_s;
  }
  std::cout << fmt::format("simulated {:.0f} s in {:.2f} s wall, {:.2f} s CPU ({:.0f}x real time per CPU second)\n",
                           simulated, wall, cpu, cpu > 0 ? simulated / cpu : 0.0);
  if (!json_out.empty() && !write_file(json_out, sim::to_json(multi).dump(2) + "\n")) return 1;
  if (!plot_out.empty()) {
    const sim::RunResult& first = multi.runs.front();
    const sim::Summary s = first.metrics.summary(first.convergence_s);
    const sim::PlotLabels labels{
        fmt::format("{}: seed {}, estimator {}", scenario.name, first.seed, estimator),
        fmt::format("RMS {:.2f} µs, max {:.1f} µs, coverage {:.4f}, mean bound width {:.1f} µs, {} exchanges",
                    s.abs_rms_us, s.abs_max_us, s.coverage, s.bound_width_mean_us, first.exchanges)};
    if (!write_file(plot_out, sim::render_svg(first, labels))) return 1;
  }
  return 0;
}

int replay_command(const std::string& path, double nominal_hz, int poll_s) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "ffclock-sim: " << path << ": cannot open the file\n";
    return 2;
  }
  core::EstimatorConfig config;
  config.nominal_period_s = 1.0L / nominal_hz;
  config.poll_s = poll_s;
  sim::EstimatorClock clock(config);
  return sim::replay_radclock_ascii(in, path, clock, std::cout);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ffclock-sim: the ground-truth simulator for ffclock's estimator"};
  app.require_subcommand(1);

  std::string scenario_path, json_out, plot_out, estimator = "radclock";
  uint64_t seed = 0;
  std::vector<uint64_t> seeds;
  double duration_s = 0, warmup_s = -1;
  CLI::App* run = app.add_subcommand("run", "simulate a scenario and report the clock's error");
  run->add_option("scenario", scenario_path, "scenario TOML file (see sim/README.md)")->required()->check(CLI::ExistingFile);
  auto* seed_opt = run->add_option("--seed", seed, "random seed (default: the scenario's)");
  run->add_option("--seeds", seeds, "several seeds, merged into one figure (e.g. 1,2,3)")->delimiter(',')->excludes(seed_opt);
  run->add_option("--json", json_out, "write the results as JSON here");
  run->add_option("--plot", plot_out, "write an SVG of error and bound (first seed) here");
  run->add_option("--duration", duration_s, "override the measured duration (s), e.g. 31536000 for a year");
  run->add_option("--warmup", warmup_s, "override the warm-up (s)");
  run->add_option("--estimator", estimator, "radclock (core::Estimator) or naive (two-point baseline)")
      ->check(CLI::IsMember({"radclock", "naive"}));

  std::string replay_path;
  double nominal_hz = 1e9;
  int poll_s = 16;
  CLI::App* replay = app.add_subcommand("replay", "feed RADclock ascii stamps (Ta Tb Te Tf ...) to the estimator");
  replay->add_option("file", replay_path, "RADclock ascii stamp file")->required();
  replay->add_option("--nominal-hz", nominal_hz, "nominal counter frequency (Hz)");
  replay->add_option("--poll", poll_s, "poll interval of the capture (s)");

  CLI11_PARSE(app, argc, argv);
  if (run->parsed()) {
    if (seed != 0 || seed_opt->count() > 0) seeds = {seed};
    return run_command(scenario_path, seeds, json_out, plot_out, duration_s, warmup_s, estimator);
  }
  return replay_command(replay_path, nominal_hz, poll_s);
}
