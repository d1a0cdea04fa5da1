// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The one exit-code scheme of `ffclock`, and the error a subcommand throws to end with one.
//
//   0  ok
//   1  the clock is not usable, the check failed, or the wait timed out
//   2  usage or input errors: unknown command, bad option values, unreadable or malformed
//      configuration or pages
//
// The tool prints the message to stderr and, under --json, {"error": ..., "code": N} on stdout.

#include <stdexcept>
#include <string>

namespace ffclock::tool {

inline constexpr int kExitOk = 0;
inline constexpr int kExitNotUsable = 1;
inline constexpr int kExitUsage = 2;

class CommandError : public std::runtime_error {
 public:
  CommandError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  [[nodiscard]] int code() const { return code_; }

 private:
  int code_;
};

}  // namespace ffclock::tool
