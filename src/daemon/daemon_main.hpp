// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// ffclockd's program: the counter, the pages, the runtime and the engine put together from a
// DaemonConfig, run in the foreground until SIGTERM/SIGINT.

#include <string>

#include "daemon/daemon_config.hpp"
#include "daemon/log_sink.hpp"
#include "platform/reference_clock.hpp"

namespace ffclock::daemon {

// The daemon's version string ("0.1.0").
[[nodiscard]] const char* daemon_version();

// Runs ffclockd; the process exit status (0 after a stop signal, 1 when it cannot start or
// the runtime fails).
// `eval_reference`: a reference clock for the EVAL lines on stdout (--eval-reference).
[[nodiscard]] int run_daemon(const DaemonConfig& config, const std::string& config_path, LogSink& log,
                             platform::ReferenceClock* eval_reference = nullptr);

}  // namespace ffclock::daemon
