// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The version `ffclock --version` (and every subcommand's --version) prints.

#ifndef FFCLOCK_VERSION
#define FFCLOCK_VERSION "unknown"
#endif

namespace ffclock::tool {

inline constexpr const char* kVersionText = "ffclock " FFCLOCK_VERSION;

}  // namespace ffclock::tool
