// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Reading an input file the user named (a configuration, the sources page): it must be a
// regular file of bounded size. A FIFO, a device or a directory is refused before anything
// blocks on it or reads without end.

#include <cstddef>
#include <string>

#include "core/result.hpp"

namespace ffclock::tool {

struct InputFileError {
  bool not_found = false;  // ENOENT: often "the daemon is not running", not a user error
  std::string message;     // "<path>: <what>"
};

[[nodiscard]] core::Result<std::string, InputFileError> read_input_file(const std::string& path,
                                                                        size_t max_bytes);

// Whether `path` names something that is not a regular file (nothing there: false). The clock
// page check before mapping it: opening a FIFO would block.
[[nodiscard]] bool exists_but_not_regular(const std::string& path);

}  // namespace ffclock::tool
