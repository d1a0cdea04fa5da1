// SPDX-License-Identifier: BSD-2-Clause
// Fuzzes the scenario loader: any text is a scenario or an error naming the key and the
// reason; never a crash or undefined behaviour (the TOML parser's exceptions included).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sim/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // base_dir names no directory: a `base` key cannot reach the file system.
  const auto s = ffclock::sim::parse_scenario(text, "fuzz.toml", "/nonexistent-ffclock-fuzz");
  if (!s && s.error().message().empty()) std::abort();
  return 0;
}
