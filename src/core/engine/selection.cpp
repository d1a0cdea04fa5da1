// SPDX-License-Identifier: BSD-2-Clause
#include "core/engine/selection.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::engine {

namespace {

struct Edge {
  Duration at;
  int type;  // -1 lower end, +1 upper end (lower ends first at equal points)
};

}  // namespace

SelectionResult select_truechimers(std::span<const Interval> candidates) {
  SelectionResult out;
  const std::size_t n = candidates.size();
  if (n == 0) return out;
  std::vector<Edge> edges;
  edges.reserve(2 * n);
  for (const Interval& c : candidates) {
    edges.push_back({std::min(c.earliest, c.latest), -1});
    edges.push_back({std::max(c.earliest, c.latest), +1});
  }
  std::sort(edges.begin(), edges.end(),
            [](const Edge& a, const Edge& b) { return a.at != b.at ? a.at < b.at : a.type < b.type; });
  for (std::size_t f = 0; 2 * f < n; ++f) {
    const auto need = static_cast<int>(n - f);
    int depth = 0;
    std::optional<Duration> low;
    for (const Edge& e : edges) {
      depth -= e.type;
      if (depth >= need) {
        low = e.at;
        break;
      }
    }
    depth = 0;
    std::optional<Duration> high;
    for (auto it = edges.rbegin(); it != edges.rend(); ++it) {
      depth += it->type;
      if (depth >= need) {
        high = it->at;
        break;
      }
    }
    if (low && high && *low <= *high) {
      out.low = *low;
      out.high = *high;
      for (std::size_t i = 0; i < n; ++i) {
        const Interval& c = candidates[i];
        const bool meets = std::max(c.earliest, c.latest) >= *low && std::min(c.earliest, c.latest) <= *high;
        (meets ? out.truechimers : out.falsetickers).push_back(i);
      }
      // A majority must remain, or nothing is trusted.
      if (2 * out.truechimers.size() > n) return out;
      out.truechimers.clear();
      out.falsetickers.clear();
    }
  }
  return out;  // no majority: nothing is trusted, nobody is singled out
}

std::optional<Combined> combine(std::span<const Estimate> survivors) {
  if (survivors.empty()) return std::nullopt;
  const Duration ref = survivors[0].offset;
  double wsum = 0;
  double acc = 0;
  Combined out;
  double best_w = -1;
  for (std::size_t i = 0; i < survivors.size(); ++i) {
    const Estimate& s = survivors[i];
    // A zero esterror would swamp everyone: floor it at 1 ns.
    const double sigma = std::max(1e-9, s.esterror.to_seconds());
    const double w = 1.0 / (sigma * sigma);
    wsum += w;
    acc += w * (s.offset - ref).to_seconds();
    if (w > best_w) {
      best_w = w;
      out.heaviest = i;
    }
  }
  out.offset = ref + Duration::from_seconds(acc / wsum);
  out.esterror = Duration::from_seconds(1.0 / std::sqrt(wsum));
  std::optional<Duration> bound;
  for (const Estimate& s : survivors) {
    const Duration b = abs(out.offset - s.offset) + s.maxerror;
    if (!bound || b < *bound) bound = b;
  }
  out.maxerror = *bound;
  return out;
}

}  // namespace ffclock::core::engine
