// SPDX-License-Identifier: BSD-2-Clause
#include "platform/sys_error.hpp"

#include <cstring>

namespace ffclock::platform {

std::string describe(const SysError& e) {
  std::string s = e.op;
  if (e.code != 0) {
    s += ": ";
    s += std::strerror(e.code);
  }
  return s;
}

}  // namespace ffclock::platform
