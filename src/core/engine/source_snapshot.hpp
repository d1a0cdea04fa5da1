// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// One source as the sources page and `ffclock sources` show it.

#include <cstdint>
#include <optional>
#include <string>

#include "core/engine/engine_config.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core::engine {

enum class SourceState : uint8_t {
  Initializing,  // not enough exchanges yet
  Selected,      // in the published combination
  Candidate,     // usable, agrees, not combined (or the only one left out by weight)
  Falseticker,   // disagrees with the majority: ignored
  Unreachable,   // no reply for unreachable_after polls
  Demobilized,   // DENY / RSTR kiss: no longer polled
};
[[nodiscard]] const char* to_string(SourceState s);

struct SourceSnapshot {
  std::string name;
  SourceMode mode = SourceMode::Server;
  SourceState state = SourceState::Initializing;
  uint8_t reach = 0;
  int poll_log2 = 0;
  uint8_t stratum = 0;
  uint32_t refid = 0;
  std::optional<Duration> last_rtt;
  std::optional<Duration> min_rtt;
  std::optional<Duration> offset;               // source's time − published time, at its last exchange
  std::optional<Duration> bound;                // half-width of the source's own interval now
  std::optional<uint64_t> last_update_counter;  // counter at its last accepted exchange
  uint64_t exchanges = 0;
  uint64_t rejected = 0;
  std::string kod;       // last kiss code seen, "" if none
  std::string unusable;  // why its last reading could not be used (vmclock), "" if it could
};

}  // namespace ffclock::core::engine
