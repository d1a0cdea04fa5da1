#pragma once
// THE seam between what the estimator publishes and what the simulator measures. Every
// clock reading the metrics use goes through PublishedClock: publish() is the writer side,
// read()/elapsed()/monotonic() the reader side. Today they use ClockParams::time_at,
// maxerror_at and elapsed directly; when the page lands, publish() will encode the page and
// the readers will decode it with the real reader, and nothing else in sim/ changes.

#include <cstdint>
#include <optional>

#include "core/clock_params.hpp"
#include "ffclock/time.hpp"

namespace ffclock::sim {

class PublishedClock {
 public:
  struct Reading {
    UtcTime time;
    Duration maxerror;  // true time claimed within time ± maxerror
  };

  // A new publication, made when the counter read `counter`. Returns the step of the
  // absolute clock at that counter (new reading − old reading; zero for the first one).
  Duration publish(const core::ClockParams& params, uint64_t counter);
  // The estimator was reset (disruption): readers see nothing until the next publication.
  void withdraw() { params_.reset(); }
  bool available() const { return params_.has_value(); }

  // Absolute clock at a counter value. Requires available().
  Reading read(uint64_t counter) const;
  // Difference clock over [c0, c1]. Requires available().
  Duration elapsed(uint64_t c0, uint64_t c1) const;
  // Published long-term period, seconds per tick. Requires available().
  long double period_s() const;
  // Published local period (the slope of the absolute clock), seconds per tick.
  long double local_period_s() const;

  // Monotonic view. HOOK: a max-clamp of read() until the page's monotonic clock exists;
  // replace the body with the page reader's monotonic() and the backstep count becomes real.
  UtcTime monotonic(uint64_t counter);

 private:
  std::optional<core::ClockParams> params_;
  std::optional<UtcTime> monotonic_last_;
};

}  // namespace ffclock::sim
