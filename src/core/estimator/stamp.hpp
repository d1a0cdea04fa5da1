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
  uint64_t ta = 0;       // counter at request transmission
  uint64_t tf = 0;       // counter at reply reception
  long double tb = 0;    // server receive time, s since base
  long double te = 0;    // server transmit time, s since base
  uint64_t rtt = 0;      // tf - ta, in counts
  uint64_t rtt_hat = 0;  // RTT̂ when the stamp arrived (rewritten by an upward level shift)
  double weight = 0;     // offset-fit weight (offset_fit.hpp), set when rtt_hat is
  bool qual_warning = false;  // server changed on this stamp: its updates are refused
  bool excluded = false;      // its offset is impossible given the published clock (server
                              // step, falseticker): kept for RTT and period, not for offsets
};

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

// Hard bound on |offset error| of one exchange: half of (RTT − server hold time), with the
// RTT converted at p̂·(1 + rate_bound). Whatever the path asymmetry, the server's clock read
// Tb..Te inside [Ta, Tf], so the true offset lies within ±this of the naive offset.
inline long double half_rtt_bound(const Stamp& s, long double period, double rate_bound) {
  const long double rtt_s = period * static_cast<long double>(s.rtt) * (1.0L + rate_bound);
  const long double h = (rtt_s - (s.te - s.tb)) / 2;
  return h > 0 ? h : 0;
}

// Index of the minimum-RTT stamp in [first, last] (all held in the history).
template <class H>
uint64_t min_rtt_index(const H& history, uint64_t first, uint64_t last) {
  return argmin_in(history, first, last, [](const Stamp& s) { return s.rtt; });
}

}  // namespace ffclock::core::estimator
