// SPDX-License-Identifier: BSD-2-Clause
// The TSC trust verdict and the "auto" counter choice, as a table of machine facts.
#include "platform/counter_selection.hpp"

#include <gtest/gtest.h>

using namespace ffclock::platform;

namespace {
struct Case {
  const char* what;
  CounterCandidates in;
  CounterKind expected;
  const char* reason_mentions;
};
}  // namespace

TEST(CounterSelection, AutoPolicyTable) {
  const std::optional<std::string> tsc{"tsc"}, kvm{"kvm-clock"}, arch{"arch_sys_counter"}, none;
  const Case cases[] = {
      {"invariant TSC the kernel uses",
       {true, true, tsc, false},
       CounterKind::X86Tsc,
       "kernel's clocksource is tsc"},
      {"invariant TSC, kernel on kvm-clock",
       {true, true, kvm, false},
       CounterKind::MonotonicRaw,
       "kvm-clock"},
      {"variable-rate TSC the kernel uses",
       {true, false, tsc, false},
       CounterKind::MonotonicRaw,
       "not invariant"},
      {"invariant TSC, clocksource unreadable",
       {true, true, none, false},
       CounterKind::MonotonicRaw,
       "unknown"},
      {"arm64 generic timer", {false, false, arch, true}, CounterKind::ArmVcnt, "constant-rate"},
      {"arm64 generic timer, clocksource unknown",
       {false, false, none, true},
       CounterKind::ArmVcnt,
       "cntvct"},
      {"no hardware counter", {false, false, none, false}, CounterKind::MonotonicRaw, "no hardware counter"},
  };
  for (const Case& c : cases) {
    const CounterChoice choice = choose_counter(c.in);
    EXPECT_EQ(choice.kind, c.expected) << c.what;
    EXPECT_NE(choice.reason.find(c.reason_mentions), std::string::npos) << c.what << ": " << choice.reason;
    EXPECT_EQ(choice.reason.find('\n'), std::string::npos) << "reason must be one line: " << c.what;
    EXPECT_EQ(choice.reason.rfind(std::string{counter_kind_name(choice.kind)}, 0), 0u)
        << "reason starts with the chosen counter: " << choice.reason;
  }
}

TEST(CounterSelection, JudgeTsc) {
  EXPECT_TRUE(judge_tsc(true, std::string{"tsc"}).trustworthy);
  EXPECT_FALSE(judge_tsc(true, std::string{"hpet"}).trustworthy);
  EXPECT_NE(judge_tsc(true, std::string{"hpet"}).why.find("hpet"), std::string::npos);
  EXPECT_FALSE(judge_tsc(false, std::string{"tsc"}).trustworthy);
  EXPECT_FALSE(judge_tsc(true, std::nullopt).trustworthy);
  // "tsc-early" is the boot-time stand-in, not the vetted clocksource.
  EXPECT_FALSE(judge_tsc(true, std::string{"tsc-early"}).trustworthy);
}

TEST(CounterSelection, KindNamesRoundTrip) {
  for (CounterKind k : {CounterKind::X86Tsc, CounterKind::ArmVcnt, CounterKind::MonotonicRaw}) {
    auto parsed = parse_counter_kind(counter_kind_name(k));
    ASSERT_TRUE(parsed) << counter_kind_name(k);
    EXPECT_EQ(*parsed, k);
  }
  EXPECT_FALSE(parse_counter_kind("auto"));
  EXPECT_FALSE(parse_counter_kind("TSC"));
  EXPECT_FALSE(parse_counter_kind("invalid"));
  EXPECT_FALSE(parse_counter_kind(""));
}
