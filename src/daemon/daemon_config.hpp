// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// ffclockd's configuration: the TOML file's contents as values, and how they become the
// sync engine's EngineConfig. Parsing is strict (ntpd-rs style): a syntax error, a wrong
// type, an unknown key or table, or a bad value is one ConfigError naming the file, the key
// and the line, and nothing starts.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/actions.hpp"
#include "core/engine/engine_config.hpp"
#include "core/result.hpp"
#include "core/server/access_list.hpp"
#include "ffclock/time.hpp"
#include "platform/counter.hpp"
#include "platform/ipv4_endpoint.hpp"
#include "platform/name_resolver.hpp"

namespace ffclock::daemon {

inline constexpr const char* kDefaultSourcesPagePath = "/run/ffclock/sources";
inline constexpr const char* kDefaultLeapFilePath = "/usr/share/zoneinfo/leap-seconds.list";
inline constexpr int kMinPollLimit = -4;  // log2 s: 1/16 s
inline constexpr int kMaxPollLimit = 17;  // log2 s: RFC 5905 MAXPOLL (36 h)
inline constexpr int kDefaultMinpoll = 4;
// 64 s, not chrony's 1024 s: measured in the simulator (lan, seeds 1-3), a poll that climbs
// to 1024 s gives 17.0 us RMS (a Kalman reference told the true wander: 16.9), one up to 64 s
// 3.1 us; both with an honest esterror (scenarios lan-maxpoll1024 and lan-adaptive). A VM's
// clock is worth the extra packets; maxpoll = 10 is a supported choice for a busy server.
inline constexpr int kDefaultMaxpoll = 6;

struct SourceEntry {
  core::engine::SourceMode mode = core::engine::SourceMode::Server;
  std::string address;                          // as written ("host[:port]"); "" for system and vmclock
  std::optional<platform::HostPort> host_port;  // parsed address (server and pool)
  int minpoll = kDefaultMinpoll;
  int maxpoll = kDefaultMaxpoll;
  bool iburst = true;
  std::string device;  // vmclock: its own `device` ("": [vmclock] device)
};

inline constexpr int kDefaultServerThreads = 1;
inline constexpr int kMaxServerThreads = 64;

// One `[[server]]` table: an NTP server socket.
struct ServerEntry {
  platform::Ipv4Endpoint listen;
  bool ratelimit = true;
  std::vector<core::server::Cidr> allow;  // empty: everybody
  std::vector<core::server::Cidr> deny;
  bool batched = true;  // io = "batch" (recvmmsg/sendmmsg) or "simple" (simulation-compatible)
  // Sockets on `listen` (SO_REUSEPORT), each drained by its own thread: the daemon thread's
  // and threads - 1 serving threads (ServerWorker). Batched I/O only.
  int threads = kDefaultServerThreads;
};

inline constexpr const char* kDefaultStateFilePath = "/var/lib/ffclock/state";

// The `[kernel]` table: whether ffclockd steers CLOCK_REALTIME (off by default: only one
// daemon may discipline the kernel clock) and the RTC through the kernel's 11-minute mode.
struct KernelConfig {
  bool discipline = false;
  Duration step_threshold = Duration::milliseconds(128);  // ntpd's step threshold
  bool rtc = false;  // needs discipline: the kernel writes the RTC from CLOCK_REALTIME
};

struct DaemonConfig {
  std::string counter = "auto";  // auto | tsc | cntvct | monotonic_raw
  std::string page = "/run/ffclock/page";
  std::string sources_page = kDefaultSourcesPagePath;
  std::string leap_file = kDefaultLeapFilePath;  // "" : no leap file
  core::engine::LogLevel log_level = core::engine::LogLevel::Info;
  std::vector<SourceEntry> sources;  // never empty after parsing: default one `system`
  std::vector<ServerEntry> servers;
  std::string state_file = kDefaultStateFilePath;  // "" : no state file
  std::string vmclock_device;                      // "" : no host vmclock device (a vmclock source's sets it)
  KernelConfig kernel;
};

struct ConfigError {
  std::string file;
  std::string key;    // "clock.page", "source[2].mode"; "" for a syntax error
  uint32_t line = 0;  // 1-based; 0 when unknown (a missing file)
  std::string message;
};
// "FILE:LINE: key 'KEY': MESSAGE" — the one line ffclockd prints.
[[nodiscard]] std::string describe(const ConfigError& e);

// Parses TOML text; `file` names it in errors.
[[nodiscard]] core::Result<DaemonConfig, ConfigError> parse_daemon_config(std::string_view text,
                                                                          const std::string& file);
// Reads and parses the file.
[[nodiscard]] core::Result<DaemonConfig, ConfigError> load_daemon_config(const std::string& file);

// A source's name on the page and in logs: the address as configured, "system" or "vmclock".
[[nodiscard]] std::string source_name(const SourceEntry& s);
[[nodiscard]] const char* to_string(core::engine::SourceMode m);

// The engine's configuration for this daemon's counter. `start_hint` is UTC now, `seed`
// random bits for nonces and poll spacing.
[[nodiscard]] core::engine::EngineConfig to_engine_config(const DaemonConfig& config,
                                                          const platform::CounterInfo& counter,
                                                          UtcTime start_hint, uint64_t seed);

}  // namespace ffclock::daemon
