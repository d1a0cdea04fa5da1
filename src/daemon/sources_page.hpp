// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The sources page: per-source state as a JSON document (docs/sources-page.md) that the CLI
// and exporters read without a socket. This renders it; the driver writes it atomically.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/source_snapshot.hpp"
#include "core/engine/sync_engine.hpp"
#include "core/server/ntp_server.hpp"
#include "ffclock/time.hpp"

namespace ffclock::daemon {

inline constexpr int kSourcesPageVersion = 1;

struct SourcesPageSource {
  core::engine::SourceSnapshot snapshot;
  std::string address;  // resolved "ip:port"; "" for system or not yet resolved
};

struct SourcesPageInput {
  UtcTime written;  // CLOCK_REALTIME when written
  int pid = 0;
  std::string daemon_version;
  UtcTime started;
  std::string page;  // the clock page path
  core::engine::EngineSummary summary;
  std::vector<SourcesPageSource> sources;
  uint64_t counter_now = 0;  // for each source's last-update age
  uint64_t nominal_hz = 1'000'000'000;
  std::optional<core::server::ServerStats> server;  // present when the daemon serves NTP
};

[[nodiscard]] std::string render_sources_page(const SourcesPageInput& in);

// The page's names for engine values.
[[nodiscard]] const char* state_name(core::engine::SourceState s);
[[nodiscard]] const char* leap_name(core::LeapIndicator li);
// A reference id as NTP shows it: four ASCII characters at stratum 0/1 and 16, a dotted
// IPv4 address at 2-15; "" for zero.
[[nodiscard]] std::string refid_text(uint32_t refid, uint8_t stratum);

}  // namespace ffclock::daemon
