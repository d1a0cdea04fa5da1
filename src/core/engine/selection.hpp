// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Source selection (RFC 5905 §11.2.1, Marzullo's intersection): given each candidate's
// correctness interval [earliest, latest] at one instant, find the largest set of intervals
// that share a point, assuming fewer than half are false. Candidates whose interval misses
// the intersection are falsetickers. Intervals are offsets from a common reference time
// (Duration), so the function is independent of the timescale.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "ffclock/time.hpp"

namespace ffclock::core::engine {

struct Interval {
  Duration earliest;
  Duration latest;
};

struct SelectionResult {
  // Empty when no majority agrees (then nothing may be selected).
  std::vector<std::size_t> truechimers;
  std::vector<std::size_t> falsetickers;
  Duration low;  // the intersection found (valid when truechimers is non-empty)
  Duration high;
};

// RFC 5905's clique search: for f = 0, 1, ... while f < n/2, the lowest point covered by at
// least n − f intervals and the highest; success when low <= high. A candidate is a
// truechimer when its interval meets [low, high].
[[nodiscard]] SelectionResult select_truechimers(std::span<const Interval> candidates);

// A survivor's contribution to the combination.
struct Estimate {
  Duration offset;    // its time minus the reference time
  Duration esterror;  // 1σ; weights are 1 / esterror²
  Duration maxerror;  // half-width of its hard interval
};

struct Combined {
  Duration offset;
  Duration esterror;
  Duration maxerror;         // min over survivors of |combined − own| + own bound
  std::size_t heaviest = 0;  // index into the input span
};

// Inverse-variance weighted mean of the survivors; the bound holds if any survivor's does.
[[nodiscard]] std::optional<Combined> combine(std::span<const Estimate> survivors);

}  // namespace ffclock::core::engine
