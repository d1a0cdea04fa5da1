// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/state_keeper.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "platform/read_text_file.hpp"

namespace ffclock::daemon {

using core::engine::LogLevel;

namespace {
// The oscillator may have moved since the save (temperature, ageing): a warm start never
// claims the period better than this.
constexpr double kWarmPeriodFloorRel = 1e-6;
}  // namespace

std::optional<core::engine::WarmStart> StateKeeper::load(UtcTime now, LogSink& log) const {
  auto text = platform::read_text_file(path_, core::kMaxStateFileBytes);
  if (!text) {
    log.write(LogLevel::Info, fmt::format("state file {}: {}: cold start", path_, text.error().message()));
    return std::nullopt;
  }
  // Written through the Block device, the file is whole pages: the text, then zeros.
  std::string_view content = *text;
  while (!content.empty() && content.back() == '\0') content.remove_suffix(1);
  auto state = core::parse_state(content);
  if (!state) {
    log.write(LogLevel::Warning, fmt::format("state file {}:{}: {}: cold start", path_, state.error().line,
                                             state.error().reason));
    return std::nullopt;
  }
  if (auto why = core::warm_start_refusal(*state, identity_, now, Duration::seconds(kWarmStartMaxAgeS))) {
    log.write(LogLevel::Info, fmt::format("state file {}: {}: cold start", path_, *why));
    return std::nullopt;
  }
  const double bound = std::max(kWarmPeriodFloorRel, 2 * state->period_maxerror_rel);
  log.write(LogLevel::Notice,
            fmt::format("warm start from {}: period known to {:.2f} ppm", path_, bound * 1e6));
  return core::engine::WarmStart{state->period_s, bound};
}

std::optional<std::string> StateKeeper::text_to_save(const core::PageInput& latest, UtcTime now) {
  if (latest.unreliable || latest.params.status != core::SyncStatus::Synchronized) return std::nullopt;
  core::CalibrationState s;
  s.identity = identity_;
  s.saved_at = now;
  s.period_s = latest.params.local_period.to_seconds();
  s.period_maxerror_rel = latest.params.period_maxerror_rel;
  if (!(s.period_s > 0) || !(s.period_maxerror_rel > 0) || !(s.period_maxerror_rel < 1e-3))
    return std::nullopt;
  last_save_ = now;
  return core::encode_state(s);
}

}  // namespace ffclock::daemon
