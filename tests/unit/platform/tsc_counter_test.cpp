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
  const int64_t t0 = raw_ns();
  const uint64_t c0 = c.read();
  timespec nap{0, 20'000'000};
  while (nanosleep(&nap, &nap) != 0) {
  }
  const uint64_t c1 = c.read();
  const int64_t t1 = raw_ns();
  const double seconds = static_cast<double>(t1 - t0) / 1e9;
  const double hz = static_cast<double>(c1 - c0) / seconds;
  // Loose: a CPUID base-MHz figure may be off by a percent; reads are bracketed loosely.
  EXPECT_NEAR(hz / static_cast<double>(facts.info.nominal_hz), 1.0, 0.02);
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
