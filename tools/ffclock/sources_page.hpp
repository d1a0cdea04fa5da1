// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The reader's side of the sources page (docs/sources-page.md): ffclockd's per-source state
// as a JSON document, replaced atomically. Unknown keys are ignored; every known key that is
// present must have its documented type and range, or the page is refused with a message
// naming the key. Absent optional keys keep their "unknown" value.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace ffclock::tool {

inline constexpr size_t kMaxSourcesPageBytes = 1 << 20;
inline constexpr int64_t kSourcesPageVersion = 1;

struct SourceEntry {
  std::string name;
  std::string address;
  std::string mode;   // server | pool | system | vmclock
  std::string state;  // selected | candidate | falseticker | unreachable | initializing | demobilized
  unsigned reach = 0;
  int poll_log2 = 0;
  unsigned stratum = 0;
  std::string refid;
  std::optional<int64_t> last_rtt_ns;
  std::optional<int64_t> min_rtt_ns;
  std::optional<int64_t> offset_ns;
  std::optional<int64_t> bound_ns;
  std::optional<double> last_update_age_s;
  uint64_t exchanges = 0;
  uint64_t rejected = 0;
  std::optional<std::string> kod;
  std::optional<std::string> unusable;  // why the source's last reading was not usable
};

struct ServerCounters {
  uint64_t requests = 0;
  uint64_t replies = 0;
  uint64_t kod_sent = 0;
  std::map<std::string, uint64_t> dropped;  // reason -> count
};

struct DaemonInfo {
  int64_t pid = 0;
  std::string version;
  std::string started_utc;
};

struct SourcesPage {
  int64_t version = kSourcesPageVersion;
  std::string written_utc;
  std::optional<DaemonInfo> daemon;
  std::string page;
  std::optional<std::string> selected;
  uint64_t step_generation = 0;
  std::string leap = "none";
  std::vector<SourceEntry> sources;
  std::optional<ServerCounters> server;
};

struct SourcesPageError {
  bool not_found = false;  // no file: the daemon is not running (exit 1, not 2)
  std::string message;
};

[[nodiscard]] core::Result<SourcesPage, SourcesPageError> parse_sources_page(std::string_view text);
// The file at `path` (regular, at most kMaxSourcesPageBytes); messages start with the path.
[[nodiscard]] core::Result<SourcesPage, SourcesPageError> load_sources_page(const std::string& path);

}  // namespace ffclock::tool
