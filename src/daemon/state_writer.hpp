// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Writes the state file through the runtime's Block device: storage writes are the daemon's
// lowest-priority work (they run only when no task is ready, so they never delay a timestamp
// or a reply). The sealed text, zero-padded to whole pages, goes to `<path>.tmp`, which is then
// synced and renamed over `path`: a crash leaves the old state or the new, never a torn one.

#include <cstddef>
#include <optional>
#include <string>

#include "runtime/scheduler.hpp"

namespace ffclock::daemon {

inline constexpr std::size_t kStatePageBytes = 4096;

// Inside a task: the write waits for the scheduler's idle moment. An error text, or nullopt.
[[nodiscard]] runtime::Task<std::optional<std::string>> write_state(runtime::Scheduler& sched,
                                                                    std::string path, std::string text);
// At once (Block's atomic_write), for the exit, when the scheduler no longer runs tasks.
[[nodiscard]] std::optional<std::string> write_state_now(runtime::Scheduler& sched, const std::string& path,
                                                         const std::string& text);

}  // namespace ffclock::daemon
