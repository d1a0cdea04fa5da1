// SPDX-License-Identifier: BSD-2-Clause
// Text for times and durations (see time_text.hpp).
#include "time_text.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <limits>

#include "core/time/rfc3339.hpp"

namespace ffclock::tool {

std::string utc_text(const ClockReading& r) {
  std::string s = core::format_rfc3339(r.utc);
  // "YYYY-MM-DDTHH:MM:SS...": the seconds are at 17..18 for four-digit years.
  if (r.leap == LeapState::Inserting && s.size() > 19 && s[10] == 'T' && s.compare(17, 2, "59") == 0) {
    s.replace(17, 2, "60");
  }
  return s;
}

std::string tai_text(TaiTime t) { return core::format_rfc3339(UtcTime::from_fixed(t.fixed())); }

std::string nanos_text(int64_t ns) {
  const uint64_t mag = ns < 0 ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  const double v = static_cast<double>(ns);
  if (mag < 1'000) return fmt::format("{} ns", ns);
  if (mag < 1'000'000) return fmt::format("{:.3f} us", v / 1e3);
  if (mag < 1'000'000'000) return fmt::format("{:.3f} ms", v / 1e6);
  return fmt::format("{:.3f} s", v / 1e9);
}

int64_t saturated_nanos(Duration d) {
  constexpr int64_t kLimitSeconds = 9'000'000'000;  // below 2^63 ns
  if (d.floor_seconds() >= kLimitSeconds) return std::numeric_limits<int64_t>::max();
  if (d.floor_seconds() < -kLimitSeconds) return std::numeric_limits<int64_t>::min() + 1;
  return d.to_nanoseconds();
}

std::string duration_text(Duration d) {
  const int64_t ns = saturated_nanos(d);
  if (ns == std::numeric_limits<int64_t>::max() || ns == std::numeric_limits<int64_t>::min() + 1) {
    return fmt::format("{:.3e} s", d.to_seconds());
  }
  return nanos_text(ns);
}

}  // namespace ffclock::tool
