// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The x86 time-stamp counter (x86 builds only).
//
// read() is LFENCE;RDTSC (include/ffclock/counter_read.hpp). The trust decision is
// judge_tsc(): CPUID's invariant-TSC bit plus the kernel's clocksource being "tsc". The
// nominal frequency comes from CPUID (tsc_cpuid.hpp) where the CPU or hypervisor states it,
// else from a short calibration against CLOCK_MONOTONIC_RAW, reported with its uncertainty.

#if defined(__x86_64__) || defined(__i386__)

#include <string>
#include <utility>

#include "ffclock/counter_read.hpp"
#include "platform/counter.hpp"
#include "platform/counter_facts.hpp"
#include "platform/frequency_calibration.hpp"
#include "platform/kernel_clocksource.hpp"
#include "platform/tsc_cpuid.hpp"

namespace ffclock::platform {

// Executes CPUID for the leaves tsc_cpuid.hpp decodes (those above the maximum stay zero).
[[nodiscard]] TscCpuidLeaves read_tsc_cpuid();

struct TscProbeOptions {
  std::string clocksource_path = kKernelClocksourcePath;
  CalibrationOptions calibration;
};

// Everything about this machine's TSC; calibrates (about 100 ms) when CPUID gives no frequency.
// On a failed calibration nominal_hz is 0 and the counter is not trustworthy.
[[nodiscard]] CounterFacts probe_tsc(const TscProbeOptions& options = {});

class TscCounter final : public Counter {
 public:
  explicit TscCounter(CounterFacts facts) : facts_(std::move(facts)) {}
  uint64_t read() override { return read_counter_ordered(); }
  CounterInfo info() const override { return facts_.info; }
  [[nodiscard]] const CounterFacts& facts() const { return facts_; }

 private:
  CounterFacts facts_;
};

}  // namespace ffclock::platform

#endif
