// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The daemon's persisted calibration (the state file): the counter's period and its error
// bound, with the identity of the counter they belong to, so that a restart on the same
// machine and boot publishes from its first exchange (warm start). A small text file, one
// `key value` per line, sealed by a SHA-1 of the lines above it: a truncated, edited or
// foreign file is refused with the line and the reason, and the daemon cold-starts.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core {

// What the period belongs to: a warm start needs all of it to match.
struct CounterIdentity {
  std::string counter;  // "tsc", "cntvct", "monotonic_raw"
  uint64_t nominal_hz = 0;
  std::string boot_id;                  // /proc/sys/kernel/random/boot_id
  std::optional<uint64_t> host_marker;  // the host vmclock disruption marker, if there is one
  friend bool operator==(const CounterIdentity&, const CounterIdentity&) = default;
};

struct CalibrationState {
  CounterIdentity identity;
  UtcTime saved_at;
  long double period_s = 0;        // seconds per tick
  double period_maxerror_rel = 0;  // bound on the period's relative error when saved
};

inline constexpr std::size_t kMaxStateFileBytes = 4096;

struct StateError {
  uint32_t line = 0;  // 1-based; 0: the file as a whole
  std::string reason;
};

[[nodiscard]] std::string encode_state(const CalibrationState& s);
[[nodiscard]] Result<CalibrationState, StateError> parse_state(std::string_view text);

// Why a parsed state cannot seed this run (nullopt: it can). `max_age` bounds how old the
// period may be (the oscillator ages and its temperature changes).
[[nodiscard]] std::optional<std::string> warm_start_refusal(const CalibrationState& s,
                                                            const CounterIdentity& now_id, UtcTime now,
                                                            Duration max_age);

}  // namespace ffclock::core
