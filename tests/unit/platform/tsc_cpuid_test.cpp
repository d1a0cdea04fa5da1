// SPDX-License-Identifier: BSD-2-Clause
// CPUID decoding for the TSC with fake register values (no CPUID instruction involved).
#include "platform/tsc_cpuid.hpp"

#include <gtest/gtest.h>

using namespace ffclock::platform;

namespace {
TscCpuidLeaves with_max(uint32_t basic, uint32_t extended) {
  TscCpuidLeaves l;
  l.max_basic_leaf = basic;
  l.max_extended_leaf = extended;
  return l;
}
}  // namespace

TEST(TscCpuid, InvariantBitIsEdx8OfLeaf80000007) {
  auto l = with_max(0x0d, 0x80000008u);
  l.leaf_80000007.edx = 1u << 8;
  EXPECT_TRUE(tsc_invariant(l));
  l.leaf_80000007.edx = ~(1u << 8);  // every other bit set
  EXPECT_FALSE(tsc_invariant(l));
}

TEST(TscCpuid, InvariantBitIgnoredWhenLeafNotReported) {
  auto l = with_max(0x0d, 0x80000006u);
  l.leaf_80000007.edx = 1u << 8;
  EXPECT_FALSE(tsc_invariant(l));
}

TEST(TscCpuid, Leaf15IsCrystalTimesRatio) {
  // crystal_hz * EBX / EAX: 24 MHz * 250/2, and a 38.4 MHz crystal (Ice Lake and later).
  EXPECT_EQ(tsc_hz_from_leaf_15({2, 250, 24'000'000, 0}), 3'000'000'000u);
  EXPECT_EQ(tsc_hz_from_leaf_15({3, 176, 38'400'000, 0}), 2'252'800'000u);
  // Truncating division, as the SDM formula.
  EXPECT_EQ(tsc_hz_from_leaf_15({3, 1, 10, 0}), 3u);
}

TEST(TscCpuid, Leaf15NeedsAllThreeRegisters) {
  EXPECT_FALSE(tsc_hz_from_leaf_15({0, 250, 24'000'000, 0}));
  EXPECT_FALSE(tsc_hz_from_leaf_15({2, 0, 24'000'000, 0}));
  EXPECT_FALSE(tsc_hz_from_leaf_15({2, 266, 0, 0}));  // Skylake client: crystal not enumerated
}

TEST(TscCpuid, Leaf16IsBaseMhzInLow16Bits) {
  EXPECT_EQ(base_hz_from_leaf_16({3600, 4700, 100, 0}), 3'600'000'000u);
  EXPECT_EQ(base_hz_from_leaf_16({0xABCD0000u | 2100u, 0, 0, 0}), 2'100'000'000u);
  EXPECT_FALSE(base_hz_from_leaf_16({0xFFFF0000u, 0, 0, 0}));
}

TEST(TscCpuid, HypervisorLeafIsKhz) {
  EXPECT_EQ(tsc_hz_from_leaf_40000010({2'596'134, 1'000'000, 0, 0}), 2'596'134'000u);
  EXPECT_FALSE(tsc_hz_from_leaf_40000010({0, 1'000'000, 0, 0}));
}

TEST(TscCpuid, NominalPrefersCrystalThenHypervisorThenBase) {
  auto l = with_max(0x16, 0x80000008u);
  l.hypervisor = true;
  l.max_hypervisor_leaf = 0x40000010u;
  l.leaf_15 = {2, 250, 24'000'000, 0};
  l.leaf_40000010 = {2'000'000, 0, 0, 0};
  l.leaf_16 = {3600, 0, 0, 0};

  auto f = tsc_nominal_frequency(l);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->hz, 3'000'000'000u);
  EXPECT_EQ(f->source, TscFrequencySource::CpuidCrystal);

  l.leaf_15.ecx = 0;
  f = tsc_nominal_frequency(l);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->hz, 2'000'000'000u);
  EXPECT_EQ(f->source, TscFrequencySource::Hypervisor);

  l.max_hypervisor_leaf = 0x40000001u;  // KVM's default range stops short of the timing leaf
  f = tsc_nominal_frequency(l);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->hz, 3'600'000'000u);
  EXPECT_EQ(f->source, TscFrequencySource::CpuidBaseMhz);
}

TEST(TscCpuid, LeavesAboveTheMaximumAreNotDecoded) {
  auto l = with_max(0x14, 0x80000008u);  // leaf 0x15/0x16 not implemented
  l.leaf_15 = {2, 250, 24'000'000, 0};   // garbage a CPU might echo back
  l.leaf_16 = {3600, 0, 0, 0};
  l.hypervisor = false;
  l.max_hypervisor_leaf = 0x40000010u;
  l.leaf_40000010 = {2'000'000, 0, 0, 0};
  EXPECT_FALSE(tsc_nominal_frequency(l));
}

TEST(TscCpuid, AmdKvmGuestGivesNoFrequency) {
  // Registers read on an AMD EPYC KVM guest: leaves 0x15/0x16 all zero, hypervisor max 0x40000001.
  auto l = with_max(0x1c, 0x80000021u);
  l.hypervisor = true;
  l.max_hypervisor_leaf = 0x40000001u;
  l.leaf_80000007 = {0, 0, 0, 0x100};
  EXPECT_TRUE(tsc_invariant(l));
  EXPECT_FALSE(tsc_nominal_frequency(l));
}

TEST(TscCpuid, SourceNames) {
  EXPECT_EQ(to_string(TscFrequencySource::CpuidCrystal), "cpuid_0x15");
  EXPECT_EQ(to_string(TscFrequencySource::Calibrated), "calibrated");
}
