// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The arm64 generic timer's virtual count, CNTVCT_EL0, at CNTFRQ_EL0 Hz (aarch64 builds only).
// Architecturally constant-rate; CNTFRQ_EL0 is what firmware programmed, which the estimator
// then measures against NTP like any nominal frequency.

#if defined(__aarch64__)

#include "ffclock/counter_read.hpp"
#include "platform/counter.hpp"
#include "platform/counter_facts.hpp"

namespace ffclock::platform {

// CNTFRQ_EL0; 0 when firmware left it unset.
[[nodiscard]] uint64_t read_cntfrq();

class CntvctCounter final : public Counter {
 public:
  CntvctCounter();
  uint64_t read() override { return read_counter_ordered(); }
  CounterInfo info() const override { return facts_.info; }
  [[nodiscard]] const CounterFacts& facts() const { return facts_; }

 private:
  CounterFacts facts_;
};

}  // namespace ffclock::platform

#endif
