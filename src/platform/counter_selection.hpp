// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Which counter ffclock trusts and which one "auto" picks, as pure functions of machine facts.
//
// Policy (docs/seqlock-leap-smear.md §3.6): the TSC only when it is invariant AND the kernel
// itself uses it as its clocksource (the kernel has then checked it against other clocks
// and would have switched away on a TSC it found unstable, e.g. unsynchronised across
// sockets or after migration); the arm64 generic timer, which is architecturally
// constant-rate; otherwise CLOCK_MONOTONIC_RAW, which is always safe but costs a call.

#include <optional>
#include <string>
#include <string_view>

#include "platform/counter.hpp"

namespace ffclock::platform {

// Names used on the command line and in configuration: "tsc", "cntvct", "monotonic_raw".
[[nodiscard]] std::string_view counter_kind_name(CounterKind kind);
// The kind for a name, or nothing for an unknown name ("auto" is not a kind).
[[nodiscard]] std::optional<CounterKind> parse_counter_kind(std::string_view name);

struct CounterTrust {
  bool trustworthy = false;
  std::string why;  // one line
};

// The TSC verdict. kernel_clocksource is the content of current_clocksource, or nothing when
// it could not be read (then the TSC is not trusted: nothing vouches for it).
[[nodiscard]] CounterTrust judge_tsc(bool invariant, const std::optional<std::string>& kernel_clocksource);

// What exists on this machine, as the auto policy sees it.
struct CounterCandidates {
  bool tsc_present = false;    // x86 build
  bool tsc_invariant = false;  // CPUID 0x80000007 EDX[8]
  std::optional<std::string> kernel_clocksource;
  bool cntvct_present = false;  // aarch64 build with a non-zero CNTFRQ_EL0
};

struct CounterChoice {
  CounterKind kind = CounterKind::MonotonicRaw;
  std::string reason;  // one line, says why the better sources were not taken
};

[[nodiscard]] CounterChoice choose_counter(const CounterCandidates& candidates);

}  // namespace ffclock::platform
