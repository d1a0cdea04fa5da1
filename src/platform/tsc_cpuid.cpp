// SPDX-License-Identifier: BSD-2-Clause
// CPUID decoding for the TSC (see tsc_cpuid.hpp). Pure: no CPUID instruction here.
#include "platform/tsc_cpuid.hpp"

namespace ffclock::platform {

std::string to_string(TscFrequencySource s) {
  switch (s) {
    case TscFrequencySource::CpuidCrystal:
      return "cpuid_0x15";
    case TscFrequencySource::Hypervisor:
      return "cpuid_0x40000010";
    case TscFrequencySource::CpuidBaseMhz:
      return "cpuid_0x16";
    case TscFrequencySource::Calibrated:
      return "calibrated";
  }
  return "unknown";
}

bool tsc_invariant(const TscCpuidLeaves& leaves) {
  if (leaves.max_extended_leaf < 0x80000007u) return false;
  return (leaves.leaf_80000007.edx & (1u << 8)) != 0;
}

std::optional<uint64_t> tsc_hz_from_leaf_15(const CpuidRegs& leaf_15) {
  const uint32_t denominator = leaf_15.eax;
  const uint32_t numerator = leaf_15.ebx;
  const uint32_t crystal_hz = leaf_15.ecx;
  if (denominator == 0 || numerator == 0 || crystal_hz == 0) return std::nullopt;
  // 32 x 32 bits fits in 64; the division truncates as the SDM's formula does.
  return uint64_t{crystal_hz} * numerator / denominator;
}

std::optional<uint64_t> base_hz_from_leaf_16(const CpuidRegs& leaf_16) {
  const uint32_t mhz = leaf_16.eax & 0xFFFFu;
  if (mhz == 0) return std::nullopt;
  return uint64_t{mhz} * 1'000'000u;
}

std::optional<uint64_t> tsc_hz_from_leaf_40000010(const CpuidRegs& leaf) {
  if (leaf.eax == 0) return std::nullopt;
  return uint64_t{leaf.eax} * 1000u;
}

std::optional<TscNominalFrequency> tsc_nominal_frequency(const TscCpuidLeaves& leaves) {
  if (leaves.max_basic_leaf >= 0x15u) {
    if (auto hz = tsc_hz_from_leaf_15(leaves.leaf_15))
      return TscNominalFrequency{*hz, TscFrequencySource::CpuidCrystal};
  }
  if (leaves.hypervisor && leaves.max_hypervisor_leaf >= 0x40000010u) {
    if (auto hz = tsc_hz_from_leaf_40000010(leaves.leaf_40000010)) {
      return TscNominalFrequency{*hz, TscFrequencySource::Hypervisor};
    }
  }
  if (leaves.max_basic_leaf >= 0x16u) {
    if (auto hz = base_hz_from_leaf_16(leaves.leaf_16))
      return TscNominalFrequency{*hz, TscFrequencySource::CpuidBaseMhz};
  }
  return std::nullopt;
}

}  // namespace ffclock::platform
