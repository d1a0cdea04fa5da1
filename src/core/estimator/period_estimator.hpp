// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Long-term period p̂ (RADclock's process_phat_warmup / process_phat_full): the rate between
// two quality stamps far apart, so that its error shrinks as 1/baseline. During warm-up the
// pair is the min-RTT stamp of a far window at the start and of a near window at the end;
// afterwards it is a fixed reference stamp (pstamp, renewed by RTT forgetting) and each new
// good stamp.

#include <cstdint>

#include "core/estimator/history.hpp"
#include "core/estimator/stamp.hpp"
#include "core/estimator/windows.hpp"

namespace ffclock::core::estimator {

enum class PeriodOutcome : uint8_t {
  Updated,
  NoCandidate,     // no usable pair (too early, poor stamp, zero baseline)
  KeptQuality,     // candidate not better than the current estimate
  RejectedSanity,  // candidate jumped too far (server step, server change)
};

// The rate between two stamps and its errors.
struct PeriodPair {
  long double period = 0;
  double esterror_rel = 0;  // RADclock: (|E_a| + |E_b| + p̂|ΔRTT̂|) / ΔTb
  double maxerror_rel = 0;  // hard: (half-RTT_a + half-RTT_b) / ΔTb, if the rate is constant
  bool valid = false;
};
[[nodiscard]] PeriodPair period_between(const Stamp& older, const Stamp& newer, const UncorrectedClock& clock,
                                        double rate_bound);

class PeriodEstimator {
 public:
  // Starts with a prior period and the bound on its relative error.
  void start(long double prior, double prior_maxerror_rel);

  // Warm-up: far window = the first `width` stamps of the run, near = the last `width`.
  PeriodOutcome add_warmup(const History<Stamp>& history, uint64_t run_start, uint64_t index, uint64_t width,
                           const UncorrectedClock& clock, const Thresholds& th);
  // End of warm-up: the far window's min-RTT stamp becomes the reference pstamp.
  void end_warmup(const History<Stamp>& history, uint64_t run_start, uint64_t width);
  // Full algorithm: candidate from pstamp to the new stamp.
  PeriodOutcome add_full(const Stamp& stamp, const UncorrectedClock& clock, const Thresholds& th);
  // RTT forgetting hands over a new reference stamp.
  void set_reference(const Stamp& s) { pstamp_ = s; }

  long double period() const { return period_; }
  double esterror_rel() const { return esterror_; }
  double maxerror_rel() const { return maxerror_; }

 private:
  bool sane(long double candidate, double candidate_err, const Thresholds& th) const;

  long double period_ = 1e-9L;
  double esterror_ = 0;
  double maxerror_ = 0;
  double last_pair_error_ = 1;  // RADclock's perr: quality of the last candidate
  Stamp pstamp_;
};

}  // namespace ffclock::core::estimator
