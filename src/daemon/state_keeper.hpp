// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The persisted calibration at `[clock] state-file`: read once at start (a warm start when
// it belongs to this counter, boot and host, one log line and a cold start otherwise), and
// written from the latest reliable publication at most every 10 minutes and at a clean exit
// (through the runtime's Block device, durably: daemon/state_writer).

#include <optional>
#include <string>

#include "core/engine/engine_config.hpp"
#include "core/page/page_input.hpp"
#include "core/state/calibration_state.hpp"
#include "daemon/log_sink.hpp"

namespace ffclock::daemon {

inline constexpr int64_t kStateSaveIntervalS = 600;
inline constexpr int64_t kWarmStartMaxAgeS = 7 * 86400;

class StateKeeper {
 public:
  StateKeeper(std::string path, core::CounterIdentity identity)
      : path_(std::move(path)), identity_(std::move(identity)) {}

  // The warm start the file allows, or nullopt (and why, logged once).
  [[nodiscard]] std::optional<core::engine::WarmStart> load(UtcTime now, LogSink& log) const;
  // The sealed text to save for `latest`, when it is worth saving (a reliable, synchronized
  // publication with a sane period); counts as the save for due(). state_writer writes it.
  [[nodiscard]] std::optional<std::string> text_to_save(const core::PageInput& latest, UtcTime now);
  // Whether a periodic save is due.
  [[nodiscard]] bool due(UtcTime now) const {
    return !last_save_ || (now - *last_save_) >= Duration::seconds(kStateSaveIntervalS);
  }
  [[nodiscard]] const std::string& path() const { return path_; }
  // The host marker changes with a migration: the saved calibration belongs to the new one.
  void set_host_marker(std::optional<uint64_t> marker) { identity_.host_marker = marker; }

 private:
  std::string path_;
  core::CounterIdentity identity_;
  std::optional<UtcTime> last_save_;
};

}  // namespace ffclock::daemon
