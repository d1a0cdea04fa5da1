// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A simulation scenario as plain data: the oscillator, both network directions, the server,
// the client's polling, timed fault events and the measurement window. Loaded from TOML by
// scenario_loader.hpp; the format is documented in sim/README.md.
//
// Times inside a run are seconds since the start of the simulation (SimTime, long double:
// 1.6 ps resolution after a year), never a double of Unix seconds.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/estimator/estimator_config.hpp"
#include "ffclock/time.hpp"

namespace ffclock::sim {

using SimTime = long double;

struct OscillatorModel {
  double nominal_hz = 1e9;     // counter ticks per nominal second
  double skew_ppm = 0;         // constant frequency error
  double wander_ppb = 0;       // σ of the per-second random-walk frequency increment
  double temperature_ppm = 0;  // amplitude A of A·sin(2πt/P + phase)
  double temperature_period_s = 86400;
  double temperature_phase_rad = 0;
  uint64_t counter_start = 1'000'000'000'000ULL;  // counter value at t = 0
};

enum class QueueKind : uint8_t { Exponential, Pareto };

// A congestion episode that repeats every period_s: active while fmod(t, period_s) lies in
// [start_s, start_s + duration_s); adds an exponential delay of mean mean_s.
struct Congestion {
  double period_s = 600;
  double start_s = 0;
  double duration_s = 0;
  double mean_s = 0;
};

// One direction of the path: min + queue + Bernoulli spikes + congestion; lost with `loss`.
struct PathModel {
  double min_s = 0;
  QueueKind queue = QueueKind::Exponential;
  double queue_mean_s = 0;
  double pareto_alpha = 2.5;
  double spike_prob = 0;
  double spike_mean_s = 0;
  std::vector<Congestion> congestion;
  double loss = 0;
};

struct ServerModel {
  uint8_t stratum = 1;
  uint32_t refid = 0x47505300;  // "GPS"
  double processing_s = 10e-6;  // Te - Tb
  // chrony's way: the transmit stamp's bits below the server's precision are random, so Te
  // reads up to this much early (0: exact stamps). With processing_s = 0 (what clknetsim
  // gives chronyd) Te then precedes Tb in most replies.
  double transmit_fuzz_s = 0;
};

// A further server ([[servers]]): its own clock faults and its own path.
struct ServerSetup {
  ServerModel server;
  PathModel forward;
  PathModel backward;
};

struct ClientModel {
  int poll_s = 16;
  // Adaptive polling as ffclockd's sources do it (minpoll = poll_s): the poll doubles after
  // good replies up to this (s). 0: the poll stays at poll_s (the reference scenarios).
  int maxpoll_s = 0;
  int burst = 8;                  // startup (and post-disruption) exchanges ...
  double burst_spacing_s = 2;     // ... at this spacing, then one every poll_s
  double initial_offset_s = 0.1;  // host clock error before the first publication
  // A warm start (ffclockd's state file): the saved period is this far from the true one at
  // the start (ppm), claimed good to warm_start_bound_ppm. Unset: a cold start.
  std::optional<double> warm_start_error_ppm;
  double warm_start_bound_ppm = 0.1;
  UtcTime start = UtcTime::from_unix(1'704'067'200);  // 2024-01-01T00:00:00Z
};

enum class Direction : uint8_t { Both, Forward, Backward };
// How a leap second reaches the daemon: the servers' leap indicator, the leap-seconds file,
// or both.
enum class LeapAnnounce : uint8_t { Indicator, File, Both };
enum class SuspendCounter : uint8_t { Stops, Runs };

enum class EventKind : uint8_t {
  LevelShift,     // delta_s added to the minimum delay of `direction` (for duration_s, 0 = for good)
  Loss,           // loss probability `value` on both directions for duration_s
  ServerStep,     // server clock off by offset_s for duration_s (0 = for good: falseticker)
  Outage,         // server does not answer for duration_s
  KissOfDeath,    // server answers with stratum 0 (KoD) for duration_s
  StratumChange,  // server's stratum/refid change for good
  Leap,           // UTC leap second at at_s (insert if value > 0); LI announced announce_s before
  PollChange,     // client poll interval becomes poll_s
  FreqStep,       // oscillator frequency error changes by value ppm (load step)
  Suspend,        // host suspended for duration_s; the counter stops or keeps running
  Migration,      // VM migration: counter jump of jump_s nominal seconds + frequency step of value ppm
};

struct Event {
  EventKind kind = EventKind::LevelShift;
  double at_s = 0;
  double duration_s = 0;
  double value = 0;   // level shift / step offset (s), loss probability, ppm, leap sign
  double jump_s = 0;  // migration counter jump (nominal seconds)
  double announce_s = 86400;
  int poll_s = 0;
  uint8_t stratum = 0;
  uint32_t refid = 0;
  Direction direction = Direction::Both;
  SuspendCounter counter = SuspendCounter::Stops;
  bool reset = true;      // suspend: a kernel suspend the daemon detects (else a pause nobody sees)
  bool signalled = true;  // migration: the vmclock marker announces it (else only a counter jump shows)
  // Server-side events (server_step, outage, kiss_of_death, stratum_change, level_shift,
  // loss) act on this server: 0 is [server]/[network], 1.. the [[servers]] in order.
  int server = 0;
  LeapAnnounce announce = LeapAnnounce::Indicator;  // leap
};

struct MetricsModel {
  double warmup_s = 3600;
  double duration_s = 86400;
  double convergence_threshold_us = 100;
};

struct Scenario {
  std::string name;
  std::string description;
  uint64_t seed = 1;
  OscillatorModel oscillator;
  PathModel forward;   // client -> server
  PathModel backward;  // server -> client
  ServerModel server;
  std::vector<ServerSetup> more_servers;  // [[servers]]: servers 1, 2, ...
  ClientModel client;
  std::vector<Event> events;  // sorted by at_s
  MetricsModel metrics;
  // Estimator parameters ([estimator] table); nominal_period_s, poll_s and burst are taken
  // from [oscillator] and [client] when the clock is built.
  core::EstimatorConfig estimator;

  double total_s() const { return metrics.warmup_s + metrics.duration_s; }
  std::size_t server_count() const { return 1 + more_servers.size(); }
};

const char* to_string(EventKind kind);

}  // namespace ffclock::sim
