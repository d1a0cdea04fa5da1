// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// 64 random bits for the sync engine's nonces and poll spacing (getrandom through libc,
// which the clknetsim simulator allows).

#include <cstdint>

namespace ffclock::platform {

[[nodiscard]] uint64_t random_seed();

}  // namespace ffclock::platform
