// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The host's vmclock page, as the device read it, turned into the engine's plain sample.

#include <cstdint>

#include "core/engine/vmclock_sample.hpp"
#include "platform/vmclock/vmclock_device.hpp"

namespace ffclock::daemon {

// `read_counter`: this machine's counter read right after the snapshot.
[[nodiscard]] core::engine::VmclockSample to_vmclock_sample(const platform::VmclockSnapshot& s,
                                                            uint64_t read_counter);

}  // namespace ffclock::daemon
