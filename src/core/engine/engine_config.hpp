// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What the sync engine is told at construction: its sources, the counter it stamps with, the
// estimator template and the engine's own policies (bursts, selection, the step rule,
// staleness). Plain data: the daemon builds it from the TOML file, the simulator from a
// scenario.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/source_clock.hpp"
#include "core/estimator/estimator_config.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core::engine {

enum class SourceMode : uint8_t {
  Server,   // one NTP server
  Pool,     // an NTP server found through a pool name (polled like a server)
  System,   // the kernel's CLOCK_REALTIME, sampled by the daemon (the offline default)
  Vmclock,  // the host's vmclock page, read by the daemon (vmclock_sample.hpp): polled at least once a second
};

struct SourceConfig {
  std::string name;  // as configured: "host[:port]", "system" or "vmclock"
  SourceMode mode = SourceMode::Server;
  int minpoll = 4;     // log2 s
  int maxpoll = 6;     // log2 s (ffclockd's default, daemon_config.hpp says why)
  bool iburst = true;  // start (and restart after a disruption) with a burst
};

// A period saved by an earlier run on the same counter (the state file).
struct WarmStart {
  long double period_s = 0;
  double period_maxerror_rel = 0;
};

struct EngineConfig {
  std::vector<SourceConfig> sources;
  uint64_t nominal_hz = 1'000'000'000;  // counter ticks per nominal second
  uint8_t counter_id = 0xFF;            // FFCLOCK_COUNTER_* for the page
  EstimatorConfig estimator;            // per-source template (poll and nominal period set here)
  UtcTime start_hint;                   // approximate UTC at start: NTP era pivot before sync
  uint64_t rng_seed = 1;                // nonces and poll spacing; the daemon seeds from getrandom
  SourceClockFactory make_clock;        // empty: an Estimator per source
  std::optional<WarmStart> warm_start;  // every source starts from this period
  double poll_jitter = 0.05;            // polls are spaced by up to this fraction more, at random

  int burst = 8;  // exchanges in a start burst
  Duration burst_spacing = Duration::milliseconds(2000);
  Duration system_burst_spacing = Duration::milliseconds(250);
  int unreachable_after = 8;  // unanswered polls before a source counts as unreachable

  // The step rule: every usable source misses the published clock by more than its bound,
  // in the same direction, for this many consecutive exchanges -> re-anchor and step.
  int step_after_misses = 4;

  // With no new line for this long, the page is re-anchored on the same line with its
  // esterror grown as the estimator measured (SyncEngine: refresh_holdover).
  Duration holdover_refresh = Duration::seconds(64);
  Duration stale_after = Duration::seconds(300);  // published: FREERUNNING after this age
  Duration void_after = Duration::seconds(3600);  // published: UNKNOWN after this age
};

}  // namespace ffclock::core::engine
