#pragma once
// One simulated run: the daemon's side of the NTP loop driven against the models, with the
// published clock sampled once per simulated second.
//
// Event order: actions (request sends, reply arrivals, scenario events) are processed in
// time order; every integer second s, after all actions at or before s, the published clock
// is read at counter(s) and compared with true UTC(s). The estimator output changes only
// when a reply is processed (at its Tf), so per-second sampling is exact.

#include <cstdint>
#include <optional>
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

struct VerdictCounts {
  uint64_t used = 0, warmup = 0, insane = 0, server = 0, kept_period = 0, kept_offset = 0, server_changed = 0;
};

struct RunResult {
  uint64_t seed = 0;
  Metrics metrics;                       // measured window only
  std::optional<double> convergence_s;   // since t = 0
  uint64_t exchanges = 0;                // replies handed to the estimator
  uint64_t requests = 0;                 // requests sent
  VerdictCounts verdicts;
  double simulated_s = 0;
  double wall_s = 0;
  double cpu_s = 0;  // process CPU time: the fair speed figure on a shared machine
  std::vector<SeriesPoint> series;
  std::vector<EventOutcome> events;
};

struct RunOptions {
  int series_points = 1500;  // plot resolution over the measured window
};

// Runs `scenario` with `seed` against `clock` (which must be fresh).
RunResult simulate(const Scenario& scenario, uint64_t seed, ClockUnderTest& clock, const RunOptions& options = {});

}  // namespace ffclock::sim
