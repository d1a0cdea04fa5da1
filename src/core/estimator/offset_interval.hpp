// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The offset interval the stamps prove (an ffclock addition): stamp j's true offset lies
// within its naive offset ± E_j/2 (E_j its RTT above the path's minimum), whatever the split
// of the queueing between the directions. Carried to the newest stamp along a line, with a
// slack for the line's rate error over the age, every stamp bounds the offset now; their
// intersection [lower, upper] is set by the stamps with the least queueing in each direction,
// not by the least RTT, so it is often far narrower than any stamp's ±E/2 and than the line
// fit's 1σ on paths whose queues are long but often empty.

#include <cstdint>

#include "core/estimator/history.hpp"
#include "core/estimator/stamp.hpp"

namespace ffclock::core::estimator {

struct OffsetInterval {
  double lower = 0;  // s, relative to the line's θ̂ at the newest stamp
  double upper = 0;
  bool empty() const { return lower > upper; }
};

struct IntervalSlack {
  double constant_s = 0;  // minimum-RTT error, timestamp noise
  double rate = 0;        // σ of the line's rate (s/s), times z
  double wander = 0;      // σ of the frequency's random walk (s/s per √s), times z
};

// The intersection over stamps [first, last] (excluded ones skipped) of each stamp's interval
// carried to `last` along the line θ̂ / local_period; E is measured from rtt_min (counts).
[[nodiscard]] OffsetInterval offset_interval(const History<Stamp>& history, uint64_t first, uint64_t last,
                                             const UncorrectedClock& clock, long double theta,
                                             long double local_period, uint64_t rtt_min,
                                             const IntervalSlack& slack);

struct TruncatedNormal {
  double mean = 0;
  double sigma = 0;
};
// The mean and σ of a normal (mean 0, σ sigma) truncated to [lower, upper]: the line's
// estimate told that the truth lies in the interval. The nearest edge (σ of a uniform over
// the interval, at most sigma) when the interval lies many σ away; unchanged for an empty one.
[[nodiscard]] TruncatedNormal truncated_normal(double sigma, OffsetInterval in);

}  // namespace ffclock::core::estimator
