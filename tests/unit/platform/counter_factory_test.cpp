// SPDX-License-Identifier: BSD-2-Clause
// make_counter(): each name, "auto", and the errors for unknown or unavailable kinds.
#include "platform/counter_factory.hpp"

#include <gtest/gtest.h>

#include "temp_file.hpp"

using namespace ffclock::platform;
using ffclock::test::TempFile;

namespace {
CounterOptions quick(const std::string& clocksource_path = kKernelClocksourcePath) {
  CounterOptions o;
  o.clocksource_path = clocksource_path;
  o.calibration.interval_ns = 10'000'000;
  return o;
}
bool compiled(CounterKind k) {
  for (CounterKind c : compiled_counter_kinds()) {
    if (c == k) return true;
  }
  return false;
}
}  // namespace

TEST(MakeCounter, UnknownNameIsAClearError) {
  auto c = make_counter("hpet", quick());
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().kind, CounterErrorKind::UnknownName);
  EXPECT_NE(c.error().message.find("'hpet'"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("monotonic_raw"), std::string::npos) << c.error().message;
}

TEST(MakeCounter, KindNotInThisBuildIsUnavailableAndSaysWhatIs) {
  for (CounterKind k : {CounterKind::X86Tsc, CounterKind::ArmVcnt}) {
    if (compiled(k)) continue;
    auto c = make_counter(counter_kind_name(k), quick());
    ASSERT_FALSE(c.has_value()) << counter_kind_name(k);
    EXPECT_EQ(c.error().kind, CounterErrorKind::Unavailable);
    EXPECT_NE(c.error().message.find("not available on " + build_architecture()), std::string::npos)
        << c.error().message;
    EXPECT_NE(c.error().message.find("available: "), std::string::npos) << c.error().message;
  }
}

TEST(MakeCounter, EveryCompiledKindCanBeMadeByName) {
  for (CounterKind k : compiled_counter_kinds()) {
    auto c = make_counter(counter_kind_name(k), quick());
    ASSERT_TRUE(c.has_value()) << counter_kind_name(k) << ": " << c.error().message;
    EXPECT_EQ(c.value()->info().kind, k);
    EXPECT_GT(c.value()->info().nominal_hz, 0u);
    const uint64_t a = c.value()->read();
    EXPECT_GE(c.value()->read(), a);
  }
  EXPECT_EQ(compiled_counter_kinds().back(), CounterKind::MonotonicRaw);
}

TEST(MakeCounter, AutoFollowsThePolicyForThisMachine) {
  auto c = make_counter("auto", quick());
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c.value()->info().kind, choose_counter(gather_counter_candidates(quick())).kind);
}

TEST(MakeCounter, AutoAvoidsTheTscWhenTheKernelDoesNotUseIt) {
  const TempFile kvm("kvm-clock\n");
  const CounterCandidates candidates = gather_counter_candidates(quick(kvm.path()));
  ASSERT_TRUE(candidates.kernel_clocksource.has_value());
  EXPECT_EQ(*candidates.kernel_clocksource, "kvm-clock");
  auto c = make_counter("auto", quick(kvm.path()));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_NE(c.value()->info().kind, CounterKind::X86Tsc);
}

TEST(MakeCounter, AutoTakesAnInvariantTscTheKernelUses) {
  if (!compiled(CounterKind::X86Tsc)) GTEST_SKIP() << "not an x86 build";
  const TempFile tsc("tsc\n");
  const CounterCandidates candidates = gather_counter_candidates(quick(tsc.path()));
  if (!candidates.tsc_invariant) GTEST_SKIP() << "this CPU's TSC is not invariant";
  auto c = make_counter("auto", quick(tsc.path()));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c.value()->info().kind, CounterKind::X86Tsc);
  EXPECT_TRUE(c.value()->info().trustworthy);
}
