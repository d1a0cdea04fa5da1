// SPDX-License-Identifier: BSD-2-Clause
#include "sim/network.hpp"

#include <cmath>
#include <limits>

namespace ffclock::sim {

namespace {
SimTime window_end(const Event& e) {
  return e.duration_s > 0 ? static_cast<SimTime>(e.at_s) + e.duration_s
                          : std::numeric_limits<SimTime>::infinity();
}
}  // namespace

static std::vector<Event> events_for(const Scenario& s, std::size_t index) {
  std::vector<Event> out;
  for (const Event& e : s.events) {
    if ((e.kind == EventKind::LevelShift || e.kind == EventKind::Loss) &&
        static_cast<std::size_t>(e.server) != index)
      continue;
    out.push_back(e);
  }
  return out;
}

Network::Network(const Scenario& s, uint64_t seed, std::size_t index)
    : forward(index == 0 ? s.forward : s.more_servers.at(index - 1).forward, events_for(s, index),
              Direction::Forward, seed, 2 + 2 * index),
      backward(index == 0 ? s.backward : s.more_servers.at(index - 1).backward, events_for(s, index),
               Direction::Backward, seed, 3 + 2 * index) {}

Path::Path(const PathModel& model, const std::vector<Event>& events, Direction dir, uint64_t seed,
           std::optional<uint64_t> stream)
    : model_(model), rng_(seed, stream ? *stream : (dir == Direction::Forward ? 2 : 3)) {
  for (const Event& e : events) {
    if (e.kind == EventKind::LevelShift && (e.direction == Direction::Both || e.direction == dir)) {
      shifts_.push_back({e.at_s, window_end(e), e.value});
    }
    if (e.kind == EventKind::Loss) losses_.push_back({e.at_s, window_end(e), e.value});
  }
}

double Path::minimum(SimTime t) const {
  double m = model_.min_s;
  for (const Window& w : shifts_) {
    if (t >= w.start && t < w.end) m += w.value;
  }
  return m;
}

double Path::loss_probability(SimTime t) const {
  double keep = 1.0 - model_.loss;
  for (const Window& w : losses_) {
    if (t >= w.start && t < w.end) keep *= 1.0 - w.value;
  }
  return 1.0 - keep;
}

bool Path::congested(SimTime t, const Congestion& c) const {
  if (!(c.period_s > 0)) return false;
  const SimTime phase = std::fmod(t, static_cast<SimTime>(c.period_s));
  return phase >= c.start_s && phase < static_cast<SimTime>(c.start_s) + c.duration_s;
}

std::optional<double> Path::delay(SimTime t) {
  // Fixed draw order: loss, queue, spike decision, spike size, one per congestion model.
  const double u_loss = rng_.uniform();
  const double queue = model_.queue == QueueKind::Pareto
                           ? rng_.pareto(model_.queue_mean_s, model_.pareto_alpha)
                           : rng_.exponential(model_.queue_mean_s);
  const bool spike = rng_.uniform() < model_.spike_prob;
  const double spike_size = rng_.exponential(model_.spike_mean_s);
  double d = minimum(t) + queue + (spike ? spike_size : 0.0);
  for (const Congestion& c : model_.congestion) {
    const double extra = rng_.exponential(c.mean_s);
    if (congested(t, c)) d += extra;
  }
  if (u_loss < loss_probability(t)) return std::nullopt;
  return d < 0 ? 0.0 : d;
}

}  // namespace ffclock::sim
