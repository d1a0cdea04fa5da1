// SPDX-License-Identifier: BSD-2-Clause
// The counter trust and "auto" selection policy (see counter_selection.hpp). Pure.
#include "platform/counter_selection.hpp"

namespace ffclock::platform {

std::string_view counter_kind_name(CounterKind kind) {
  switch (kind) {
    case CounterKind::X86Tsc:
      return "tsc";
    case CounterKind::ArmVcnt:
      return "cntvct";
    case CounterKind::MonotonicRaw:
      return "monotonic_raw";
    case CounterKind::Invalid:
      break;
  }
  return "invalid";
}

std::optional<CounterKind> parse_counter_kind(std::string_view name) {
  for (CounterKind k : {CounterKind::X86Tsc, CounterKind::ArmVcnt, CounterKind::MonotonicRaw}) {
    if (name == counter_kind_name(k)) return k;
  }
  return std::nullopt;
}

CounterTrust judge_tsc(bool invariant, const std::optional<std::string>& kernel_clocksource) {
  if (!invariant)
    return {false,
            "TSC is not invariant (CPUID 0x80000007 EDX[8] clear): its rate may change with power states"};
  if (!kernel_clocksource)
    return {false, "invariant, but the kernel's clocksource is unknown: nothing vouches for the TSC"};
  if (*kernel_clocksource != "tsc") {
    return {false, "invariant, but the kernel's clocksource is " + *kernel_clocksource +
                       ", not tsc (the kernel may have found it unstable)"};
  }
  return {true, "invariant (CPUID 0x80000007 EDX[8]) and the kernel's clocksource is tsc"};
}

CounterChoice choose_counter(const CounterCandidates& c) {
  if (c.tsc_present) {
    const CounterTrust tsc = judge_tsc(c.tsc_invariant, c.kernel_clocksource);
    if (tsc.trustworthy) return {CounterKind::X86Tsc, "tsc: " + tsc.why};
    return {CounterKind::MonotonicRaw, "monotonic_raw: tsc not trusted: " + tsc.why};
  }
  if (c.cntvct_present) {
    return {CounterKind::ArmVcnt, "cntvct: the arm64 generic timer is architecturally constant-rate"};
  }
  return {CounterKind::MonotonicRaw,
          "monotonic_raw: no hardware counter ffclock can read directly on this machine"};
}

}  // namespace ffclock::platform
