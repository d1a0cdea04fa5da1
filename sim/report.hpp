// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Turning runs into output: the console table, the JSON document (keys documented in
// sim/README.md) and the merge of several seeds into one figure.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/scenario.hpp"
#include "sim/simulation.hpp"

namespace ffclock::sim {

// All seeds of one scenario, merged: the figure is over all samples of all seeds.
struct MultiRun {
  std::string scenario;
  std::string description;
  std::string estimator;
  std::vector<RunResult> runs;

  Summary merged() const;
  std::optional<double> worst_convergence() const;  // nullopt if any run never converged
};

nlohmann::json to_json(const MultiRun& m);
// The console table: one row per seed and one for all seeds.
std::string format_table(const MultiRun& m);
// The outcome of each scenario event (recovery times), one block per seed.
std::string format_events(const MultiRun& m, double threshold_us);
// A run's trace (RunOptions::trace) as CSV: a header, then one line per measured second.
std::string format_trace_csv(const RunResult& r);

}  // namespace ffclock::sim
