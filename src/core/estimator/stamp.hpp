// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The estimator's record of one accepted exchange, and the uncorrected clock Cu that turns
// counter values into seconds. Server times are kept as long double seconds since a base
// time (the first exchange after construction or reset), counters as raw values: the
// 64-bit mantissa keeps sub-picosecond resolution over years, and the 2036 NTP era boundary
// has already been resolved in the UtcTime inputs.

#include <cstdint>

#include "core/estimator/history.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core::estimator {

struct Stamp {
  uint64_t ta = 0;     // counter at request transmission
  uint64_t tf = 0;     // counter at reply reception
  long double tb = 0;  // server receive time, s since base
  long double te = 0;  // server transmit time, s since base
  // The server midpoint (Tb + Te)/2 split exactly into two doubles (mid_hi + mid_lo), and the
  // hold time Te − Tb: the per-stamp passes (offset_fit, offset_estimator) take differences
  // of midpoints in double without the long double arithmetic. Set by set_server_times().
  double mid_hi = 0;
  double mid_lo = 0;
  double hold = 0;
  uint64_t rtt = 0;           // tf - ta, in counts
  uint64_t rtt_hat = 0;       // RTT̂ when the stamp arrived (rewritten by an upward level shift)
  double weight = 0;          // offset-fit weight (offset_fit.hpp), set when rtt_hat is
  bool qual_warning = false;  // server changed on this stamp: its updates are refused
  bool excluded = false;      // its offset is impossible given the published clock (server
                              // step, falseticker): kept for RTT and period, not for offsets

  void set_server_times(long double receive, long double transmit) {
    tb = receive;
    te = transmit;
    const long double mid = (tb + te) / 2;
    mid_hi = static_cast<double>(mid);
    mid_lo = static_cast<double>(mid - static_cast<long double>(mid_hi));
    hold = static_cast<double>(te - tb);
  }
};

// Naive offset of stamp s minus that of stamp ref, in double: p̂·[(Ta − Ta_ref) + (Tf − Tf_ref)]/2
// − (mid − mid_ref). Counter differences are exact in double (< 2⁵³ counts), and so is the
// midpoint difference up to one rounding of the result, so over the few thousand seconds of a
// fit window this is good to well under a picosecond.
inline double naive_offset_diff(const Stamp& s, const Stamp& ref, double period) {
  const auto dta = static_cast<double>(static_cast<int64_t>(s.ta - ref.ta));
  const auto dtf = static_cast<double>(static_cast<int64_t>(s.tf - ref.tf));
  return period * 0.5 * (dta + dtf) - ((s.mid_hi - ref.mid_hi) + (s.mid_lo - ref.mid_lo));
}

// Cu(T) = p̂·(T − counter0) + K seconds since the base time. When p̂ changes, K absorbs the
// change so that Cu stays continuous at the newest stamp (RADclock's K fix-up); all offset
// correction lives in θ̂.
class UncorrectedClock {
 public:
  UncorrectedClock() = default;
  UncorrectedClock(uint64_t counter0, long double period) : counter0_(counter0), phat_(period) {}

  long double period() const { return phat_; }
  uint64_t counter0() const { return counter0_; }

  long double at(uint64_t counter) const { return phat_ * ticks_since_base(counter) + k_; }
  long double ticks_since_base(uint64_t counter) const {
    return static_cast<long double>(static_cast<int64_t>(counter - counter0_));
  }
  // Changes p̂ keeping Cu(continuity_counter) unchanged.
  void set_period(long double period, uint64_t continuity_counter) {
    k_ += ticks_since_base(continuity_counter) * (phat_ - period);
    phat_ = period;
  }

  // Naive offset of Cu at the stamp's midpoint: θ = [Cu(Ta) + Cu(Tf) − (Tb + Te)] / 2.
  long double naive_offset(const Stamp& s) const { return (at(s.ta) + at(s.tf) - s.tb - s.te) / 2; }
  // Point error E = p̂·(RTT − RTT̂) in seconds.
  long double point_error(const Stamp& s) const {
    return phat_ * static_cast<long double>(s.rtt - s.rtt_hat);
  }

 private:
  uint64_t counter0_ = 0;
  long double phat_ = 1e-9L;
  long double k_ = 0;
};

// Stamps' naive offsets against a line through the newest stamp (θ̂ of Cu there, local period
// `local_period`), each carried to the newest stamp along the line:
//   θ_j − line_j = (θ_j − θ_newest) + (θ_newest − θ̂) + (p̂ − local_period)·ticks_j,
// ticks_j = Tf_newest − Tf_j. All three are small quantities, so this runs in double
// (naive_offset_diff); the hard bound and the stamps' intervals both start from it.
class OffsetsAlongLine {
 public:
  OffsetsAlongLine(const Stamp& newest, const UncorrectedClock& clock, long double theta,
                   long double local_period)
      : newest_(&newest),
        phat_(static_cast<double>(clock.period())),
        drift_(static_cast<double>(clock.period() - local_period)),
        gap_(static_cast<double>(clock.naive_offset(newest) - theta)) {}

  double period() const { return phat_; }
  // Counter ticks from the stamp's Tf to the newest stamp's.
  double ticks(const Stamp& s) const { return static_cast<double>(static_cast<int64_t>(newest_->tf - s.tf)); }
  // θ_j − line_j, the stamp being `ticks` (ticks(s)) before the newest.
  double offset(const Stamp& s, double ticks) const {
    return naive_offset_diff(s, *newest_, phat_) + gap_ + drift_ * ticks;
  }

 private:
  const Stamp* newest_;
  double phat_, drift_, gap_;
};

// Hard bound on |offset error| of one exchange: half of (RTT − server hold time), with the
// RTT converted at p̂·(1 + rate_bound). Whatever the path asymmetry, the server's clock read
// Tb..Te inside [Ta, Tf], so the true offset lies within ±this of the naive offset.
inline long double half_rtt_bound(const Stamp& s, long double period, double rate_bound) {
  const long double rtt_s = period * static_cast<long double>(s.rtt) * (1.0L + rate_bound);
  const long double h = (rtt_s - (s.te - s.tb)) / 2;
  return h > 0 ? h : 0;
}
// The same in double; `scale` = p̂·(1 + rate_bound).
inline double half_rtt_bound_d(const Stamp& s, double scale) {
  const double h = (scale * static_cast<double>(static_cast<int64_t>(s.rtt)) - s.hold) * 0.5;
  return h > 0 ? h : 0;
}

// Index of the minimum-RTT stamp in [first, last] (all held in the history).
template <class H>
uint64_t min_rtt_index(const H& history, uint64_t first, uint64_t last) {
  return argmin_in(history, first, last, [](const Stamp& s) { return s.rtt; });
}

}  // namespace ffclock::core::estimator
