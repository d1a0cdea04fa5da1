// SPDX-License-Identifier: BSD-2-Clause
// x86 TSC probing: CPUID reads, the trust verdict and the frequency (see tsc_counter.hpp).
#if defined(__x86_64__) || defined(__i386__)

#include "platform/tsc_counter.hpp"

#include <cpuid.h>

#include <cmath>

#include "platform/counter_selection.hpp"

namespace ffclock::platform {
namespace {

CpuidRegs cpuid(uint32_t leaf) {
  CpuidRegs r;
  __cpuid_count(leaf, 0, r.eax, r.ebx, r.ecx, r.edx);
  return r;
}

}  // namespace

TscCpuidLeaves read_tsc_cpuid() {
  TscCpuidLeaves l;
  l.max_basic_leaf = __get_cpuid_max(0, nullptr);
  l.max_extended_leaf = __get_cpuid_max(0x80000000u, nullptr);
  if (l.max_basic_leaf >= 1) l.hypervisor = (cpuid(1).ecx & (1u << 31)) != 0;
  if (l.hypervisor) l.max_hypervisor_leaf = cpuid(0x40000000u).eax;
  if (l.max_basic_leaf >= 0x15u) l.leaf_15 = cpuid(0x15u);
  if (l.max_basic_leaf >= 0x16u) l.leaf_16 = cpuid(0x16u);
  if (l.max_extended_leaf >= 0x80000007u) l.leaf_80000007 = cpuid(0x80000007u);
  // Only a hypervisor range that reaches the timing leaf is read; a bare CPU could return
  // anything for 0x40000010.
  if (l.hypervisor && l.max_hypervisor_leaf >= 0x40000010u && l.max_hypervisor_leaf < 0x40010000u) {
    l.leaf_40000010 = cpuid(0x40000010u);
  }
  return l;
}

CounterFacts probe_tsc(const TscProbeOptions& options) {
  const TscCpuidLeaves leaves = read_tsc_cpuid();
  const bool invariant = tsc_invariant(leaves);
  auto clocksource = read_kernel_clocksource(options.clocksource_path);
  const std::optional<std::string> kernel_clocksource =
      clocksource ? std::optional<std::string>{clocksource.value()} : std::nullopt;
  CounterTrust trust = judge_tsc(invariant, kernel_clocksource);
  if (!clocksource) trust.why += " (" + clocksource.error().message() + ")";

  CounterFacts facts;
  facts.invariant = invariant;
  facts.info.name = "tsc";
  facts.info.kind = CounterKind::X86Tsc;
  if (auto nominal = tsc_nominal_frequency(leaves)) {
    facts.info.nominal_hz = nominal->hz;
    facts.frequency_source = to_string(nominal->source);
  } else {
    auto measured =
        calibrate_against_monotonic_raw([] { return read_counter_ordered(); }, options.calibration);
    if (measured) {
      facts.info.nominal_hz = static_cast<uint64_t>(std::llround(measured->hz));
      facts.frequency_source = to_string(TscFrequencySource::Calibrated);
      facts.frequency_uncertainty_ppm = measured->uncertainty_ppm();
    } else {
      facts.frequency_source = std::string{"unknown: "} + to_string(measured.error());
      trust = {false, "frequency unknown: " + std::string{to_string(measured.error())}};
    }
  }
  facts.info.trustworthy = trust.trustworthy;
  facts.info.why = trust.why;
  return facts;
}

}  // namespace ffclock::platform

#endif
