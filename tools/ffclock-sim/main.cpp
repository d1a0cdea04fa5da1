// SPDX-License-Identifier: BSD-2-Clause
// ffclock-sim: runs a scenario against the estimator and reports how close the published
// clock stayed to true time (table, JSON, SVG), or replays RADclock ascii stamps.

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/cli11.hpp"
#include "sim/estimator_clock.hpp"
#include "sim/input_file.hpp"
#include "sim/naive_clock.hpp"
#include "sim/oracle_clock.hpp"
#include "sim/replay.hpp"
#include "sim/report.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulation.hpp"
#include "sim/svg_plot.hpp"

namespace {

using namespace ffclock;

std::unique_ptr<sim::ClockUnderTest> make_clock(const std::string& kind, const sim::Scenario& s) {
  if (kind == "naive") return std::make_unique<sim::NaiveClock>(1.0L / s.oscillator.nominal_hz);
  if (kind == "oracle") {
    return std::make_unique<sim::OracleClock>(
        1.0L / s.oscillator.nominal_hz, s.forward.min_s + s.backward.min_s, s.oscillator.wander_ppb * 1e-9);
  }
  core::EstimatorConfig config = s.estimator;
  config.nominal_period_s = 1.0L / s.oscillator.nominal_hz;
  config.poll_s = s.client.poll_s;
  config.burst = std::max(1, s.client.burst);
  return std::make_unique<sim::EstimatorClock>(config);
}

// One exit-code scheme for every tool: 0 ok, 1 a check failed (or an output could not be
// written after the run), 2 a usage or input error.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

int usage_error(const std::string& message) {
  std::cerr << "ffclock-sim: " << message << "\n";
  return kExitUsage;
}

// An output named on the command line: "-" is standard output, anything else a file that is
// created before the run starts, so that a bad path fails in a second, not after a day of
// simulation.
class Output {
 public:
  bool open(const std::string& path, std::string& error) {
    path_ = path;
    if (path.empty() || path == "-") return true;
    file_ = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
    if (!*file_) {
      error = path + ": cannot write here (" + std::strerror(errno) + ")";
      return false;
    }
    return true;
  }
  bool wanted() const { return !path_.empty(); }
  bool to_stdout() const { return path_ == "-"; }
  bool write(const std::string& text) {
    if (to_stdout()) {
      std::cout << text << std::flush;
      return static_cast<bool>(std::cout);
    }
    *file_ << text;
    file_->close();
    if (!*file_) {
      std::cerr << "ffclock-sim: cannot write " << path_ << "\n";
      return false;
    }
    return true;
  }

 private:
  std::string path_;
  std::unique_ptr<std::ofstream> file_;
};

// A finite value within [lo, hi], or a message naming the option.
bool check_range(const char* option, double v, double lo, double hi, std::string& error) {
  if (std::isfinite(v) && v >= lo && v <= hi) return true;
  error = fmt::format("{}: {} is out of range [{:g}, {:g}]", option, v, lo, hi);
  return false;
}

struct RunOptions {
  std::string scenario_path;
  std::vector<uint64_t> seeds;
  std::string json_out, plot_out, trace_out;
  std::optional<double> duration_s, warmup_s;
  std::string estimator = "radclock";
};

int run_command(const RunOptions& o) {
  if ((o.json_out == "-") + (o.plot_out == "-") + (o.trace_out == "-") > 1)
    return usage_error("only one of --json, --plot and --trace can write to standard output");
  auto loaded = sim::load_scenario_file(o.scenario_path);
  if (!loaded) return usage_error(loaded.error().message());
  Output json, plot, trace;
  std::string error;
  if (!json.open(o.json_out, error) || !plot.open(o.plot_out, error) || !trace.open(o.trace_out, error))
    return usage_error(error);
  sim::Scenario scenario = *loaded;
  if (o.duration_s) scenario.metrics.duration_s = *o.duration_s;
  if (o.warmup_s) scenario.metrics.warmup_s = *o.warmup_s;
  std::vector<uint64_t> seeds = o.seeds;
  if (seeds.empty()) seeds.push_back(scenario.seed);

  sim::MultiRun multi{scenario.name, scenario.description, o.estimator, {}};
  for (const uint64_t seed : seeds) {
    auto clock = make_clock(o.estimator, scenario);
    sim::RunOptions options;
    options.trace = trace.wanted() && multi.runs.empty();  // the first seed's, like the plot
    multi.runs.push_back(sim::simulate(scenario, seed, *clock, options));
  }
  // With an output on standard output, the human-readable report goes to standard error.
  std::ostream& report = (json.to_stdout() || plot.to_stdout() || trace.to_stdout()) ? std::cerr : std::cout;
  report << sim::format_table(multi);
  const std::string events = sim::format_events(multi, scenario.metrics.convergence_threshold_us);
  if (!events.empty()) report << events;
  double simulated = 0, wall = 0, cpu = 0;
  for (const auto& r : multi.runs) {
    simulated += r.simulated_s;
    wall += r.wall_s;
    cpu += r.cpu_s;
  }
  report << fmt::format(
      "simulated {:.0f} s in {:.2f} s wall, {:.2f} s CPU ({:.0f}x real time per CPU second)\n", simulated,
      wall, cpu, cpu > 0 ? simulated / cpu : 0.0);
  int rc = kExitOk;
  if (json.wanted() && !json.write(sim::to_json(multi).dump(2) + "\n")) rc = kExitFailed;
  if (plot.wanted()) {
    const sim::RunResult& first = multi.runs.front();
    const sim::Summary s = first.metrics.summary(first.convergence_s);
    const sim::PlotLabels labels{
        fmt::format("{}: seed {}, estimator {}", scenario.name, first.seed, o.estimator),
        fmt::format("RMS {:.2f} µs, max {:.1f} µs, coverage {:.4f}, mean bound width {:.1f} µs, {} exchanges",
                    s.abs_rms_us, s.abs_max_us, s.coverage, s.bound_width_mean_us, first.exchanges)};
    if (!plot.write(sim::render_svg(first, labels))) rc = kExitFailed;
  }
  if (trace.wanted() && !trace.write(sim::format_trace_csv(multi.runs.front()))) rc = kExitFailed;
  return rc;
}

int replay_command(const std::string& path, double nominal_hz, int poll_s) {
  const auto text = sim::read_input_file(path);
  if (!text) return usage_error(path + ": " + text.error());
  std::istringstream in(*text);
  core::EstimatorConfig config;
  config.nominal_period_s = 1.0L / nominal_hz;
  config.poll_s = poll_s;
  sim::EstimatorClock clock(config);
  return sim::replay_radclock_ascii(in, path, clock, std::cout) == 0 ? kExitOk : kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ffclock-sim: the ground-truth simulator for ffclock's estimator"};
  app.set_version_flag("--version", std::string("ffclock-sim ") + FFCLOCK_VERSION);
  app.require_subcommand(1);

  RunOptions ro;
  uint64_t seed = 0;
  double duration_s = 0, warmup_s = 0;
  CLI::App* run = app.add_subcommand("run", "simulate a scenario and report the clock's error");
  run->add_option("scenario", ro.scenario_path, "scenario TOML file (see sim/README.md)")->required();
  auto* seed_opt = run->add_option("--seed", seed, "random seed (default: the scenario's)");
  run->add_option("--seeds", ro.seeds, "several seeds, merged into one figure (e.g. 1,2,3)")
      ->delimiter(',')
      ->excludes(seed_opt);
  run->add_option("--json", ro.json_out, "write the results as JSON here ('-': standard output)");
  run->add_option("--plot", ro.plot_out,
                  "write an SVG of error and bound (first seed) here ('-': standard output)");
  run->add_option("--trace", ro.trace_out,
                  "write every measured second's error, maxerror and esterror (first seed) as CSV here "
                  "('-': standard output)");
  auto* duration_opt = run->add_option("--duration", duration_s,
                                       "override the measured duration (s), e.g. 31536000 for a year");
  auto* warmup_opt = run->add_option("--warmup", warmup_s, "override the warm-up (s)");
  run->add_option(
         "--estimator", ro.estimator,
         "radclock (core::Estimator), naive (two-point baseline) or oracle (a Kalman filter told the "
         "true minimum delay and wander: the reference)")
      ->check(CLI::IsMember({"radclock", "naive", "oracle"}));

  std::string replay_path;
  double nominal_hz = 1e9;
  int poll_s = 16;
  CLI::App* replay =
      app.add_subcommand("replay", "feed RADclock ascii stamps (Ta Tb Te Tf ...) to the estimator");
  replay->add_option("file", replay_path, "RADclock ascii stamp file")->required();
  replay->add_option("--nominal-hz", nominal_hz, "nominal counter frequency (Hz)");
  replay->add_option("--poll", poll_s, "poll interval of the capture (s)");

  // A word where a command belongs is an unknown command, not "a subcommand is required".
  if (argc > 1 && argv[1][0] != '-' && std::string_view(argv[1]) != "run" &&
      std::string_view(argv[1]) != "replay") {
    return usage_error(std::string("unknown command '") + argv[1] +
                       "' (commands: run, replay; --help for more)");
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0; every other one is a usage error.
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  // Numeric options: finite and within the same bounds as the scenario keys they override.
  std::string error;
  if (run->parsed()) {
    if (seed_opt->count() > 0) ro.seeds = {seed};
    if (duration_opt->count() > 0) {
      if (!check_range("--duration", duration_s, 1, 1e9, error)) return usage_error(error);
      ro.duration_s = duration_s;
    }
    if (warmup_opt->count() > 0) {
      if (!check_range("--warmup", warmup_s, 0, 1e9, error)) return usage_error(error);
      ro.warmup_s = warmup_s;
    }
    return run_command(ro);
  }
  if (!check_range("--nominal-hz", nominal_hz, 1e3, 1e11, error) ||
      !check_range("--poll", poll_s, 1, 65536, error)) {
    return usage_error(error);
  }
  return replay_command(replay_path, nominal_hz, poll_s);
}
