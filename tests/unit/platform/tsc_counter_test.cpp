// SPDX-License-Identifier: BSD-2-Clause
// TscCounter on this machine (x86 only): monotonic, and its nominal frequency matches the
// elapsed CLOCK_MONOTONIC_RAW time within loose bounds.
#include <gtest/gtest.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include "platform/tsc_counter.hpp"
#endif

#if defined(__x86_64__) || defined(__i386__)
using namespace ffclock::platform;

namespace {
TscProbeOptions quick() {
  TscProbeOptions o;
  o.calibration.interval_ns = 10'000'000;
  return o;
}
int64_t raw_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}
}  // namespace
#endif

TEST(TscCounter, MonotonicOnThisMachine) {
#if defined(__x86_64__) || defined(__i386__)
  TscCounter c{probe_tsc(quick())};
  uint64_t prev = c.read();
  for (int i = 0; i < 1'000'000; ++i) {
    const uint64_t now = c.read();
    ASSERT_GE(now, prev) << "at read " << i;
    prev = now;
  }
#else
  GTEST_SKIP() << "not an x86 build";
#endif
}

TEST(TscCounter, NominalFrequencyMatchesElapsedTime) {
#if defined(__x86_64__) || defined(__i386__)
  const CounterFacts facts = probe_tsc(quick());
  ASSERT_GT(facts.info.nominal_hz, 0u) << facts.frequency_source;
  EXPECT_EQ(facts.info.kind, CounterKind::X86Tsc);
  EXPECT_EQ(facts.info.name, "tsc");
  ASSERT_TRUE(facts.invariant.has_value());
  TscCounter c{facts};
  // Each counter read between two CLOCK_MONOTONIC_RAW reads: the elapsed time between the
  // counter reads is within [t1a − t0b, t1b − t0a] however long a preemption inside a bracket
  // lasted (on a loaded machine one did, by 2 %).
  const int64_t t0a = raw_ns();
  const uint64_t c0 = c.read();
  const int64_t t0b = raw_ns();
  timespec nap{0, 50'000'000};
  while (nanosleep(&nap, &nap) != 0) {
  }
  const int64_t t1a = raw_ns();
  const uint64_t c1 = c.read();
  const int64_t t1b = raw_ns();
  const auto counts = static_cast<double>(c1 - c0);
  const double hz_low = counts / (static_cast<double>(t1b - t0a) / 1e9);
  const double hz_high = counts / (static_cast<double>(t1a - t0b) / 1e9);
  // Loose: a CPUID base-MHz figure may be off by a percent.
  const auto nominal = static_cast<double>(facts.info.nominal_hz);
  EXPECT_LE(hz_low, nominal * 1.02) << "counts/s in [" << hz_low << ", " << hz_high << "]";
  EXPECT_GE(hz_high, nominal * 0.98) << "counts/s in [" << hz_low << ", " << hz_high << "]";
#else
  GTEST_SKIP() << "not an x86 build";
#endif
}

TEST(TscCounter, TrustFollowsTheKernelClocksourceFile) {
#if defined(__x86_64__) || defined(__i386__)
  TscProbeOptions o = quick();
  o.clocksource_path = "/nonexistent/current_clocksource";
  const CounterFacts facts = probe_tsc(o);
  EXPECT_FALSE(facts.info.trustworthy);
  EXPECT_NE(facts.info.why.find("not found"), std::string::npos) << facts.info.why;
#else
  GTEST_SKIP() << "not an x86 build";
#endif
}
