// SPDX-License-Identifier: BSD-2-Clause
#include "sim/oscillator.hpp"

#include <cmath>
#include <numbers>

namespace ffclock::sim {

Oscillator::Oscillator(const OscillatorModel& model, const std::vector<Event>& events, uint64_t seed)
    : nominal_hz_(model.nominal_hz),
      skew_(static_cast<long double>(model.skew_ppm) * 1e-6L),
      sigma_(model.wander_ppb * 1e-9),
      temp_amp_(static_cast<long double>(model.temperature_ppm) * 1e-6L),
      temp_omega_(model.temperature_period_s > 0
                      ? 2.0L * std::numbers::pi_v<long double> / model.temperature_period_s
                      : 0.0L),
      temp_phase_(model.temperature_phase_rad),
      counter_start_(model.counter_start),
      rng_(seed, /*stream=*/1),
      w_(kRing, 0.0),
      cum_(kRing, 0.0L) {
  for (const Event& e : events) {
    if (e.kind == EventKind::FreqStep || e.kind == EventKind::Migration) {
      if (e.value != 0) steps_.push_back({e.at_s, static_cast<long double>(e.value) * 1e-6L});
    }
    if (e.kind == EventKind::Migration && e.jump_s != 0) {
      jumps_.push_back({e.at_s, static_cast<int64_t>(std::llround(e.jump_s * model.nominal_hz))});
    }
    if (e.kind == EventKind::Suspend && e.counter == SuspendCounter::Stops && e.duration_s > 0) {
      holds_.push_back({e.at_s, static_cast<SimTime>(e.at_s) + e.duration_s});
    }
  }
}

void Oscillator::extend_to(int64_t second) {
  while (newest_ < second) {
    const int64_t k = newest_ + 1;
    if (k == 0) {
      w_[0] = 0.0;
      cum_[0] = 0.0L;
    } else {
      const size_t prev = slot(k - 1);
      w_[slot(k)] = w_[prev] + (sigma_ > 0 ? sigma_ * rng_.normal() : 0.0);
      cum_[slot(k)] = cum_[prev] + w_[prev];
    }
    newest_ = k;
  }
}

long double Oscillator::phase(SimTime t) {
  if (t < 0) t = 0;
  const int64_t k = whole(t);
  return phase_at(k, t - static_cast<SimTime>(k));
}

long double Oscillator::phase_at(int64_t k, long double frac) {
  extend_to(k);
  const SimTime t = static_cast<SimTime>(k) + frac;
  long double p = t * (1.0L + skew_) + cum_[slot(k)] + static_cast<long double>(w_[slot(k)]) * frac;
  if (temp_amp_ != 0 && temp_omega_ != 0) {
    p += temp_amp_ / temp_omega_ * (std::cos(temp_phase_) - std::cos(temp_omega_ * t + temp_phase_));
  }
  for (const Step& s : steps_) {
    if (t > s.at) p += s.dy * (t - s.at);
  }
  return p;
}

double Oscillator::frequency_error(SimTime t) {
  if (t < 0) t = 0;
  return frequency_error_at(whole(t), t);
}

double Oscillator::frequency_error_at(int64_t k, SimTime t) {
  extend_to(k);
  long double y = skew_ + static_cast<long double>(w_[slot(k)]);
  if (temp_amp_ != 0) y += temp_amp_ * std::sin(temp_omega_ * t + temp_phase_);
  for (const Step& s : steps_) {
    if (t >= s.at) y += s.dy;
  }
  return static_cast<double>(y);
}

long double Oscillator::raw_at(int64_t k, SimTime t) {
  long double ticks = static_cast<long double>(nominal_hz_) * phase_at(k, t - static_cast<SimTime>(k));
  for (const Jump& j : jumps_) {
    if (t >= j.at) ticks += static_cast<long double>(j.ticks);
  }
  return ticks;
}

uint64_t Oscillator::counter(SimTime t) {
  if (t < 0) t = 0;
  return counter_at(whole(t), t);
}

Oscillator::AtSecond Oscillator::at_second(int64_t s) {
  const auto t = static_cast<SimTime>(s);
  return {counter_at(s, t), frequency_error_at(s, t)};
}

uint64_t Oscillator::counter_at(int64_t k, SimTime t) {
  long double ticks = 0;
  bool held = false;
  long double removed = 0;  // ticks that elapsed while the counter was stopped
  for (Hold& h : holds_) {
    if (t < h.start) break;
    if (!h.known) {
      h.raw_start = raw(h.start);
      h.raw_end = raw(h.end);
      h.known = true;
    }
    if (t < h.end) {
      ticks = h.raw_start - removed;
      held = true;
      break;
    }
    removed += h.raw_end - h.raw_start;
  }
  if (!held) ticks = raw_at(k, t) - removed;
  // Truncation toward zero is the floor here: ticks >= 0 except after a backward jump
  // larger than the elapsed count, which counter_start is there to absorb.
  return counter_start_ + static_cast<uint64_t>(static_cast<int64_t>(ticks));
}

}  // namespace ffclock::sim
