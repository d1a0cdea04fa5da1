// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// One simulated run: the product's sync engine (core::engine::SyncEngine, as ffclockd runs
// it) driven against the models, with the published clock sampled once per simulated second.
// Requests and replies are real NTP packets: the engine builds the request, the simulated
// server answers it with the scenario's faults, and the engine's reply matcher checks it.
//
// Event order: actions (engine timers, reply arrivals, scenario events) are processed in
// time order; every integer second s, after all actions at or before s, the published clock
// is read at counter(s) and compared with true UTC(s). The publication changes only when the
// engine processes an input, so per-second sampling is exact.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/clock_under_test.hpp"
#include "sim/metrics.hpp"
#include "sim/scenario.hpp"

namespace ffclock::sim {

// Error and bound over one plot bucket of the measured window.
struct SeriesPoint {
  double t_s = 0;  // bucket start, seconds since the start of the measured window
  double err_min_us = 0, err_max_us = 0, err_mean_us = 0;
  double bound_mean_us = 0;  // mean published half-width
  uint64_t samples = 0;
};

// How the run fared after one scenario event: time from the end of the event (its start if
// it is instantaneous) until |error| stayed below the convergence threshold, looking at the
// samples up to the next event or the end; and the worst |error| from the event's start.
struct EventOutcome {
  Event event;
  std::optional<double> recovery_s;  // nullopt: never back below the threshold
  double worst_abs_error_us = 0;
  uint64_t unavailable_s = 0;
};

// One measured second of the first run, for --trace: the clock's error against the truth,
// its published hard bound and its 1σ estimate.
struct TracePoint {
  int64_t t_s = 0;  // seconds since the start of the run (the warm-up included)
  double error_us = 0, maxerror_us = 0, esterror_us = 0;
};

struct VerdictCounts {
  uint64_t used = 0, warmup = 0, insane = 0, server = 0, kept_period = 0, kept_offset = 0, server_changed = 0;
};

// A source as the engine saw it at the end of the run.
struct SourceOutcome {
  std::string state;  // selected, falseticker, ...
  uint64_t exchanges = 0;
  uint64_t rejected = 0;
};

struct RunResult {
  uint64_t seed = 0;
  Metrics metrics;                      // measured window only
  std::optional<double> convergence_s;  // since t = 0
  uint64_t exchanges = 0;               // replies handed to the estimator
  uint64_t requests = 0;                // requests sent
  VerdictCounts verdicts;               // of server 0's clock
  uint64_t steps = 0;                   // steps the engine announced (disruption, re-anchor, leap)
  uint64_t detected_disruptions = 0;    // disruptions the daemon's watch found (unsignalled)
  std::vector<SourceOutcome> sources;
  double simulated_s = 0;
  double wall_s = 0;
  double cpu_s = 0;  // process CPU time: the fair speed figure on a shared machine
  std::vector<SeriesPoint> series;
  std::vector<EventOutcome> events;
  std::vector<TracePoint> trace;  // every measured sample, when RunOptions::trace
};

struct RunOptions {
  int series_points = 1500;  // plot resolution over the measured window
  bool trace = false;        // keep every measured sample in RunResult::trace
};

// Runs `scenario` with `seed`; `clock` (which must be fresh) is server 0's source clock, the
// other servers get the product's Estimator with the scenario's [estimator] settings.
RunResult simulate(const Scenario& scenario, uint64_t seed, ClockUnderTest& clock,
                   const RunOptions& options = {});

}  // namespace ffclock::sim
