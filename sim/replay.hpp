// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Replay of RADclock ascii stamp files (radclock's `-s` output): '%' comment lines, then one
// stamp per line, "Ta Tb Te Tf ..." with Ta, Tf raw counter values and Tb, Te server times
// in decimal seconds (read exactly, not through a double). Each stamp is fed to the clock;
// the estimates are printed. There is no truth in a capture, so no error figures.

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "core/exchange.hpp"
#include "sim/clock_under_test.hpp"

namespace ffclock::sim {

// One line: nullopt for comments and blank lines; an error message for a malformed line.
struct StampLine {
  std::optional<core::Exchange> exchange;
  std::string error;
};
StampLine parse_radclock_stamp(std::string_view line);

// Feeds every stamp of `in` to `clock`, printing one line per stamp. Returns 0, or 2 after
// printing "source:line: reason" for the first malformed line.
int replay_radclock_ascii(std::istream& in, const std::string& source, ClockUnderTest& clock,
                          std::ostream& out);

}  // namespace ffclock::sim
