// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// One-way packet delays for both directions of the client-server path:
//   delay = min + level shifts + queue (exponential or Pareto) + Bernoulli spike
//           + congestion episodes,
// or no delivery at all (loss). Each direction draws from its own random stream, and every
// packet takes the same number of draws whatever happens to it, so two scenarios that
// differ only in one fault see the same noise elsewhere.

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/rng.hpp"
#include "sim/scenario.hpp"

namespace ffclock::sim {

class Path {
 public:
  // `stream` picks the random stream (default: the direction's stream of server 0).
  Path(const PathModel& model, const std::vector<Event>& events, Direction dir, uint64_t seed,
       std::optional<uint64_t> stream = std::nullopt);

  // Delay of a packet sent at true time t, or nullopt if it is lost.
  std::optional<double> delay(SimTime t);
  // The deterministic part at t: the minimum plus the active level shifts.
  double minimum(SimTime t) const;
  // Loss probability at t (the path's own plus any loss event).
  double loss_probability(SimTime t) const;
  // Whether a congestion episode is active at t (exact schedule, no randomness).
  bool congested(SimTime t, const Congestion& c) const;

 private:
  struct Window {
    SimTime start, end;
    double value;
  };
  PathModel model_;
  std::vector<Window> shifts_;
  std::vector<Window> losses_;
  Rng rng_;
};

// Both directions of the path to server `index` (0: [network], 1..: the [[servers]]'), with
// the level shifts and loss events that name that server. Each server's paths draw from
// their own random streams; server 0's are the ones a single-server scenario always had.
struct Network {
  Network(const Scenario& s, uint64_t seed, std::size_t index = 0);
  Path forward;   // client -> server
  Path backward;  // server -> client
};

}  // namespace ffclock::sim
