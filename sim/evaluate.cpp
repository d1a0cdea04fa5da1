// SPDX-License-Identifier: BSD-2-Clause
// PublishedClock: the engine's publications through the real page encoder and reader.
#include "sim/evaluate.hpp"

#include <cassert>
#include <cmath>

namespace ffclock::sim {

PublishedClock::PublishedClock() : state_(std::make_unique<State>()) {}

ClockReading PublishedClock::now(uint64_t counter) const {
  state_->counter = counter;
  const auto r = state_->clock->read();
  assert(r.has_value());  // single-threaded, counter supplied: the reader cannot fail
  return *r;
}

Duration PublishedClock::publish(const core::PageInput& input, uint64_t counter) {
  State& s = *state_;
  Duration step;
  const bool had = available_;
  const UtcTime before = had ? now(counter).utc : UtcTime{};

  core::PageInput in = input;
  // Any counter the reader accepts: it reads the simulated counter through State::counter.
  in.counter_id = FFCLOCK_COUNTER_X86_TSC;
  // `counter` plays the writer's c0 (sampled inside the write section): the monotonic
  // segment re-anchors there.
  const core::EncodedPage enc = core::encode_page(in, s.writer, counter);
  const uint32_t seq = s.page.vmclock.seq_count;
  s.page = enc.page;
  s.page.vmclock.size = sizeof(ffclock_page);
  s.page.vmclock.seq_count = seq + 2;  // one completed write section (single-threaded)
  s.writer = enc.next;
  s.period = CounterPeriod{enc.page.ext.period_frac_sec, enc.page.ext.period_shift};
  s.local_period =
      CounterPeriod{enc.page.vmclock.counter_period_frac_sec, enc.page.vmclock.counter_period_shift};
  if (!s.clock) {
    ClockOptions o;
    o.host_vmclock_path.clear();
    o.counter = &read_counter;
    o.counter_ctx = &s;
    auto c = Clock::over_memory(&s.page, sizeof s.page, o);
    assert(c.has_value());
    s.clock.emplace(std::move(c).value());
  }
  available_ = true;
  if (had) step = now(counter).utc - before;
  return step;
}

PublishedClock::Reading PublishedClock::read(uint64_t counter) const {
  const ClockReading r = now(counter);
  return {r.utc, r.maxerror, r.esterror.to_seconds()};
}

Duration PublishedClock::elapsed(uint64_t c0, uint64_t c1) const {
  const auto d = state_->clock->elapsed(c0, c1);
  assert(d.has_value());
  return *d;
}

Duration PublishedClock::monotonic(uint64_t counter) const {
  state_->counter = counter;
  const auto m = state_->clock->monotonic();
  assert(m.has_value());
  return *m;
}

}  // namespace ffclock::sim
