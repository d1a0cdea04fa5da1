// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Hard error bound of the published offset (ffclock addition): whatever the path asymmetry,
// each stamp pins true time within ± half its RTT, and the rate error is bounded, so the
// published line's error at the newest stamp is bounded through the best stamp of the window.

#include <cstdint>

#include "core/estimator/history.hpp"
#include "core/estimator/stamp.hpp"

namespace ffclock::core::estimator {

struct OffsetWindow {
  uint64_t first = 0;  // oldest stamp index used
  uint64_t last = 0;   // the newest stamp
};

// Bound on |published time − true time| at the newest stamp for the line θ̂ / local period:
// the best stamp of the window gives true time within ±half-RTT (hard, any asymmetry), plus
// how far the published line passes from that stamp's naive offset, plus rate_bound · age.
[[nodiscard]] long double offset_maxerror(const History<Stamp>& history, OffsetWindow window,
                                          const UncorrectedClock& clock, long double theta,
                                          long double local_period, double rate_bound);

}  // namespace ffclock::core::estimator
