// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Decoding the CPUID leaves that describe the x86 TSC, as pure functions of register values.
//
// The registers are read on the machine by read_tsc_cpuid() (tsc_counter.cpp); everything that
// interprets them lives here so tests can feed fake values for CPUs we do not have:
//   0x80000007 EDX[8]  invariant TSC (constant rate in all P-, C- and T-states)
//   0x15               TSC/crystal ratio EBX/EAX and crystal Hz in ECX (Intel, Skylake on)
//   0x16               processor base frequency in MHz (EAX[15:0]), a coarse fallback
//   0x40000010         hypervisor timing leaf: TSC kHz in EAX (VMware; QEMU/KVM on request)

#include <cstdint>
#include <optional>
#include <string>

namespace ffclock::platform {

struct CpuidRegs {
  uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

// What the TSC code needs from CPUID. A leaf above the reported maximum is left all-zero:
// CPUID returns the highest basic leaf's data for those, which must not be decoded.
struct TscCpuidLeaves {
  uint32_t max_basic_leaf = 0;       // leaf 0 EAX
  uint32_t max_extended_leaf = 0;    // leaf 0x80000000 EAX
  bool hypervisor = false;           // leaf 1 ECX[31]
  uint32_t max_hypervisor_leaf = 0;  // leaf 0x40000000 EAX, when hypervisor
  CpuidRegs leaf_15;
  CpuidRegs leaf_16;
  CpuidRegs leaf_80000007;
  CpuidRegs leaf_40000010;
};

// Where a nominal TSC frequency came from, best first.
enum class TscFrequencySource : uint8_t {
  CpuidCrystal,  // leaf 0x15 with the crystal frequency given: exact by definition
  Hypervisor,    // leaf 0x40000010: what the hypervisor says it programmed (1 kHz steps)
  CpuidBaseMhz,  // leaf 0x16 base MHz: nominal only, 1 MHz steps
  Calibrated,    // measured against CLOCK_MONOTONIC_RAW
};

[[nodiscard]] std::string to_string(TscFrequencySource s);

struct TscNominalFrequency {
  uint64_t hz = 0;
  TscFrequencySource source = TscFrequencySource::CpuidCrystal;
};

// CPUID 0x80000007 EDX bit 8, if the extended leaf exists.
[[nodiscard]] bool tsc_invariant(const TscCpuidLeaves& leaves);

// TSC Hz from leaf 0x15 alone: crystal_hz * EBX / EAX, or nothing when EAX, EBX or ECX is 0
// (ECX 0 means the crystal frequency is not enumerated).
[[nodiscard]] std::optional<uint64_t> tsc_hz_from_leaf_15(const CpuidRegs& leaf_15);

// Base frequency from leaf 0x16, EAX[15:0] MHz, or nothing when 0.
[[nodiscard]] std::optional<uint64_t> base_hz_from_leaf_16(const CpuidRegs& leaf_16);

// TSC Hz from the hypervisor timing leaf, EAX kHz, or nothing when 0.
[[nodiscard]] std::optional<uint64_t> tsc_hz_from_leaf_40000010(const CpuidRegs& leaf);

// The best nominal frequency CPUID gives, in the order of TscFrequencySource; nothing when
// no leaf says (AMD parts and most KVM guests): the caller then calibrates.
[[nodiscard]] std::optional<TscNominalFrequency> tsc_nominal_frequency(const TscCpuidLeaves& leaves);

}  // namespace ffclock::platform
