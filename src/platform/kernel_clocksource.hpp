// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The Linux kernel's current clocksource ("tsc", "kvm-clock", "arch_sys_counter", ...): the
// kernel has vetted that source, and the TSC is trusted only when it is the kernel's choice.

#include <string>

#include "core/result.hpp"
#include "platform/read_text_file.hpp"

namespace ffclock::platform {

inline constexpr const char* kKernelClocksourcePath =
    "/sys/devices/system/clocksource/clocksource0/current_clocksource";

// The clocksource name from `path` (configurable for tests), or why it could not be read.
[[nodiscard]] core::Result<std::string, FileError> read_kernel_clocksource(
    const std::string& path = kKernelClocksourcePath);

}  // namespace ffclock::platform
