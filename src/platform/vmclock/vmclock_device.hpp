// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The host's vmclock device (Linux /dev/vmclock0, or any file laid out as a vmclock page):
// mapped read-only, read under its seqlock. The daemon checks its disruption marker and VM
// generation at least once a second and on every exchange; a change means the counter no
// longer means what it meant. When the host publishes time, the snapshot also carries it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "ffclock/page.h"

namespace ffclock::platform {

struct VmclockSnapshot {
  uint64_t disruption_marker = 0;
  uint64_t vm_generation = 0;
  bool vm_generation_present = false;
  uint64_t flags = 0;
  uint8_t clock_status = 0;
  uint8_t counter_id = 0xFF;
  uint8_t time_type = 0;
  uint64_t counter_value = 0;
  uint8_t counter_period_shift = 0;
  uint64_t counter_period_frac_sec = 0;
  uint64_t counter_period_esterror_rate_frac_sec = 0;
  uint64_t counter_period_maxerror_rate_frac_sec = 0;
  uint64_t time_sec = 0;
  uint64_t time_frac_sec = 0;
  uint64_t time_esterror_nanosec = 0;
  uint64_t time_maxerror_nanosec = 0;
  [[nodiscard]] bool disruption_soon() const { return (flags & FFCLOCK_FLAG_DISRUPTION_SOON) != 0; }
  [[nodiscard]] bool disruption_imminent() const { return (flags & FFCLOCK_FLAG_DISRUPTION_IMMINENT) != 0; }
};

struct VmclockError {
  enum class Code : uint8_t { Open, NotRegular, TooSmall, Map, BadMagic, Busy } code;
  int err = 0;
  std::string message;
};

class VmclockDevice {
 public:
  [[nodiscard]] static core::Result<VmclockDevice, VmclockError> open(const std::string& path);
  // Over caller-owned memory (tests).
  [[nodiscard]] static VmclockDevice over_memory(const ffclock_vmclock_abi* abi);
  VmclockDevice(VmclockDevice&& o) noexcept;
  VmclockDevice& operator=(VmclockDevice&&) = delete;
  VmclockDevice(const VmclockDevice&) = delete;
  ~VmclockDevice();

  // A consistent snapshot, or Busy when the host kept the sequence odd through every retry.
  [[nodiscard]] core::Result<VmclockSnapshot, VmclockError> read() const;

 private:
  VmclockDevice(const ffclock_vmclock_abi* abi, void* map, std::size_t map_size)
      : abi_(abi), map_(map), map_size_(map_size) {}
  const ffclock_vmclock_abi* abi_;
  void* map_;
  std::size_t map_size_;
};

}  // namespace ffclock::platform
