// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The error every thin OS wrapper in platform/ returns: which call failed and its errno.

#include <string>

namespace ffclock::platform {

struct SysError {
  const char* op = "";  // the failing call, e.g. "recvmsg"
  int code = 0;         // errno, or 0 when the failure is not an errno (then op says why)
};

// "recvmsg: Connection refused" — for logs and test messages.
[[nodiscard]] std::string describe(const SysError& e);

}  // namespace ffclock::platform
