// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Reading the simulator's input files (scenarios, RADclock captures): only regular files, of
// bounded size, so that /dev/zero cannot exhaust memory and a FIFO cannot hang the run.

#include <cstddef>
#include <string>

#include "core/result.hpp"

namespace ffclock::sim {

inline constexpr size_t kMaxInputFileBytes = size_t{64} << 20;  // 64 MiB

// The whole file, or why not (e.g. "not a regular file"; the caller names the path).
core::Result<std::string, std::string> read_input_file(const std::string& path,
                                                       size_t max_bytes = kMaxInputFileBytes);

}  // namespace ffclock::sim
