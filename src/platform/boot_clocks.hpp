// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// CLOCK_MONOTONIC and CLOCK_BOOTTIME read together, for detecting a suspend (BOOTTIME runs
// through it, MONOTONIC does not), and the kernel's boot id (/proc/sys/kernel/random/boot_id)
// that ties a saved calibration to one boot.

#include <cstdint>
#include <optional>
#include <string>

namespace ffclock::platform {

struct BootClocks {
  int64_t monotonic_ns = 0;
  int64_t boottime_ns = 0;
};
// nullopt where CLOCK_BOOTTIME cannot be read (then suspends are not detected this way).
[[nodiscard]] std::optional<BootClocks> read_boot_clocks();

// "" when it cannot be read.
[[nodiscard]] std::string read_boot_id();

}  // namespace ffclock::platform
