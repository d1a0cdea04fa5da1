// SPDX-License-Identifier: BSD-2-Clause
// Fuzzes the state-file parser: arbitrary bytes never crash it, and whatever it accepts
// re-encodes to a file that parses back to the same state (so the daemon never writes a
// state it would refuse to read).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/state/calibration_state.hpp"

using namespace ffclock::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto s = parse_state(text);
  if (!s) return 0;
  const auto again = parse_state(encode_state(*s));
  if (!again || !(again->identity == s->identity) || again->saved_at != s->saved_at ||
      again->period_s != s->period_s || again->period_maxerror_rel != s->period_maxerror_rel) {
    std::abort();
  }
  return 0;
}
