// SPDX-License-Identifier: BSD-2-Clause
// Fuzzes RFC 3339 parsing and formatting: text that parses formats back to text that parses
// to the same instant; any 64.64 instant in the years 0000-9999 formats to text that parses
// back to it (to the nanosecond); instants outside format without undefined behaviour.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/time/rfc3339.hpp"

namespace {
using namespace ffclock;

void check(bool ok) {
  if (!ok) std::abort();
}

const UtcTime kMin = UtcTime::from_unix(-62'167'219'200);                // 0000-01-01
const UtcTime kMax = UtcTime::from_unix(253'402'300'799, ~uint64_t{0});  // 9999-12-31T23:59:59.999..
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto t = core::parse_rfc3339(text)) {
    for (int digits = 0; digits <= 9; ++digits) {
      const std::string s = core::format_rfc3339(*t, digits);
      const auto back = core::parse_rfc3339(s);
      if (*t >= kMin && *t <= kMax - Duration::seconds(1)) {
        check(back.has_value());
        if (digits == 9) check(abs(*back - *t) <= Duration::nanoseconds(1));
        check(core::format_rfc3339(*back, digits) == s);
      }
    }
  }
  if (size >= 16) {
    int128 v = 0;
    std::memcpy(&v, data, 16);
    const UtcTime t = UtcTime::from_fixed(v);
    const std::string s = core::format_rfc3339(t);
    if (t >= kMin && t <= kMax - Duration::seconds(1)) {
      const auto back = core::parse_rfc3339(s);
      check(back.has_value());
      check(abs(*back - t) <= Duration::nanoseconds(1));
    }
  }
  return 0;
}
