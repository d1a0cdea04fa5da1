// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What the sync engine asks its driver to do. Every engine input returns one Actions value;
// the daemon performs it on the runtime, the simulator against its models.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ntp/ntp_packet.hpp"
#include "core/page/page_input.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core::engine {

// Send this request to this source, then report the counter read right before the send
// with SyncEngine::on_sent(source, nonce, counter).
struct SendRequest {
  std::size_t source = 0;
  uint64_t nonce = 0;
  std::array<uint8_t, kNtpHeaderSize> bytes{};
};

enum class StepReason : uint8_t {
  Disruption,  // counter disrupted (migration, suspend, counter jump): calibration discarded
  Reanchor,    // every usable source agreed the clock was off by more than its bound
  Leap,        // a leap second was applied to UTC (TAI and monotonic do not move)
};
[[nodiscard]] const char* to_string(StepReason r);

struct StepNotice {
  StepReason reason = StepReason::Disruption;
  uint64_t generation = 0;  // the page's step generation after this step
  Duration amount;          // estimated size of the step (zero when unknown)
};

// syslog priorities, as journald reads them from "<N>" prefixes.
enum class LogLevel : uint8_t { Error = 3, Warning = 4, Notice = 5, Info = 6, Debug = 7 };
struct LogEvent {
  LogLevel level = LogLevel::Info;
  std::string text;
};

struct Actions {
  std::vector<SendRequest> sends;
  std::vector<std::size_t> resolve;  // re-resolve these sources' names (unreachable / never resolved)
  bool sample_system = false;        // take a SystemSample and pass it to on_system_sample
  bool sample_vmclock = false;       // read the host's vmclock page and pass it to on_vmclock_sample
  std::optional<PageInput> publish;  // write this to the clock page
  std::optional<StepNotice> step;    // notify step subscribers (after publishing)
  std::vector<LogEvent> logs;
  Duration next_timer = Duration::seconds(1);  // call on_timer again after at most this long
  bool sources_changed = false;                // the sources page is out of date
};

}  // namespace ffclock::core::engine
