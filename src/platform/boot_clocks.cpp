// SPDX-License-Identifier: BSD-2-Clause
#include "platform/boot_clocks.hpp"

#include <time.h>

#include "platform/read_text_file.hpp"

namespace ffclock::platform {

std::optional<BootClocks> read_boot_clocks() {
  timespec m{}, b{};
  if (clock_gettime(CLOCK_MONOTONIC, &m) != 0 || clock_gettime(CLOCK_BOOTTIME, &b) != 0) return std::nullopt;
  return BootClocks{m.tv_sec * 1'000'000'000LL + m.tv_nsec, b.tv_sec * 1'000'000'000LL + b.tv_nsec};
}

std::string read_boot_id() {
  auto t = read_text_file("/proc/sys/kernel/random/boot_id", 256);
  if (!t) return {};
  std::string s = *t;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace ffclock::platform
