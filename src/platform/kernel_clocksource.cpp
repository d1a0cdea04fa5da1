// SPDX-License-Identifier: BSD-2-Clause
// Reading the kernel's current clocksource (see kernel_clocksource.hpp).
#include "platform/kernel_clocksource.hpp"

namespace ffclock::platform {

core::Result<std::string, FileError> read_kernel_clocksource(const std::string& path) {
  return read_first_line(path);
}

}  // namespace ffclock::platform
