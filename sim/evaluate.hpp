// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// THE seam between what the estimator publishes and what the simulator measures. Every
// clock reading the metrics use goes through PublishedClock: publish() is the writer side,
// read()/elapsed()/monotonic() the reader side. publish() encodes the ClockParams into an
// in-memory clock page with the daemon's own encoder (core::encode_page, monotonic anchor
// included), and the readers decode it with the real header-only reader (ffclock::Clock)
// fed the simulated counter, so the metrics measure exactly what an application would see.

#include <cstdint>
#include <memory>
#include <optional>

#include "core/clock_params.hpp"
#include "core/page/page_codec.hpp"
#include "core/page/page_input.hpp"
#include "ffclock/clock.hpp"
#include "ffclock/period.hpp"
#include "ffclock/time.hpp"

namespace ffclock::sim {

class PublishedClock {
 public:
  struct Reading {
    UtcTime time;
    Duration maxerror;      // true time claimed within time ± maxerror
    double esterror_s = 0;  // the estimator's 1σ at this counter (see read())
  };

  PublishedClock();

  // A new publication (what the engine asked the daemon to publish), made when the counter
  // read `counter`. Returns the step of the absolute clock at that counter (new reading −
  // old reading; zero for the first one).
  Duration publish(const core::PageInput& input, uint64_t counter);
  // The estimator was reset (disruption): readers see nothing until the next publication.
  // The page (and its monotonic segment) stays, as the daemon's page does.
  void withdraw() { available_ = false; }
  bool available() const { return available_; }

  // Absolute clock at a counter value. Requires available().
  Reading read(uint64_t counter) const;
  // Difference clock over [c0, c1]. Requires available().
  Duration elapsed(uint64_t c0, uint64_t c1) const;
  // Published long-term period, seconds per tick. Requires available().
  long double period_s() const { return state_->period.to_seconds(); }
  // Published local period (the slope of the absolute clock), seconds per tick.
  long double local_period_s() const { return state_->local_period.to_seconds(); }
  // The page's monotonic clock at a counter value (time since its origin). Requires available().
  Duration monotonic(uint64_t counter) const;

 private:
  // Behind a pointer: the reader holds the page's address and this as its counter context,
  // so both must stay put when the PublishedClock moves.
  struct State {
    alignas(64) ffclock_page page{};  // the structure only: the reader needs no more
    core::WriterState writer;
    uint64_t counter = 0;  // what the reader's counter read returns
    CounterPeriod period;
    CounterPeriod local_period;
    std::optional<Clock> clock;
  };
  static uint64_t read_counter(void* ctx) { return static_cast<const State*>(ctx)->counter; }
  ClockReading now(uint64_t counter) const;

  std::unique_ptr<State> state_;
  bool available_ = false;
};

}  // namespace ffclock::sim
