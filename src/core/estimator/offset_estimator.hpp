#pragma once
// Offset θ̂ (RADclock's process_thetahat_full): a weighted average of the naive offsets of the
// stamps in the offset window, each moved to the newest stamp with the local period and
// weighted by exp(−(ET/Eoffset)²), where ET is its point error (RTT excess over RTT̂) aged at
// the BEST_SKM_RATE.

#include <cstdint>

#include "core/estimator/history.hpp"
#include "core/estimator/stamp.hpp"

namespace ffclock::core::estimator {

struct OffsetEstimate {
  long double theta = 0;      // θ̂ of Cu at the newest stamp's Tf
  double min_total_error = 0; // min ET over the window (RADclock's minET)
  double weight_sum = 0;
  double spread = 0;          // weighted residual spread / sqrt(effective count)
  bool valid = false;
};

struct OffsetWindow {
  uint64_t first = 0;  // oldest stamp index used
  uint64_t last = 0;   // the newest stamp
};

[[nodiscard]] OffsetEstimate estimate_offset(const History<Stamp>& history, OffsetWindow window,
                                             const UncorrectedClock& clock, long double local_period,
                                             double eoffset, double aging_rate);

// Bound on |published time − true time| at the newest stamp for the line θ̂ / local period:
// the best stamp of the window gives true time within ±half-RTT (hard, any asymmetry), plus
// how far the published line passes from that stamp's naive offset, plus rate_bound · age.
[[nodiscard]] long double offset_maxerror(const History<Stamp>& history, OffsetWindow window,
                                          const UncorrectedClock& clock, long double theta,
                                          long double local_period, double rate_bound);

}  // namespace ffclock::core::estimator
