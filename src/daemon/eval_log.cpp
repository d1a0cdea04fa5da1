// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/eval_log.hpp"

#include <fmt/format.h>

#include <chrono>

namespace ffclock::daemon {

using core::engine::LogLevel;

std::string format_eval_line(int64_t reference_ns, const ClockReading& reading) {
  const Duration offset = reading.utc - UtcTime::from_unix_nanos(reference_ns);
  return fmt::format("EVAL {} {} {:+.9f} {:.9f}", reference_ns, reading.counter, offset.to_seconds(),
                     reading.maxerror.to_seconds());
}

bool EvalLog::sample(const Clock& clock) {
  const auto before = reference_.read_ns();
  const auto reading = clock.read();
  const auto after = reference_.read_ns();
  std::string why;
  if (!before || !after) {
    why = fmt::format("reference clock: {}", platform::describe(before ? after.error() : before.error()));
  } else if (!reading) {
    why = fmt::format("clock page: {}", to_string(reading.error()));
  } else if (reading->status == ClockStatus::Unknown) {
    // No time at all (never published, or void): an offset would be noise in the log.
    why = "clock page: status UNKNOWN (nothing published yet, or void)";
  }
  if (!why.empty()) {
    if (!failing_) log_.write(LogLevel::Warning, fmt::format("eval: {}; no EVAL line until it reads", why));
    failing_ = true;
    return false;
  }
  failing_ = false;
  emit_(format_eval_line(*before + (*after - *before) / 2, *reading));
  ++lines_;
  return true;
}

runtime::Task<void> EvalLog::run(runtime::Scheduler& sched, std::string page_path) {
  std::optional<Clock> clock;
  for (;;) {
    if (!clock) {
      ClockOptions options;
      options.host_vmclock_path.clear();  // compares the page alone, as published
      auto c = Clock::open(page_path, options);
      if (c) clock.emplace(std::move(c).value());
    }
    if (clock) (void)sample(*clock);
    co_await sched.sleep_for(std::chrono::seconds(1));
  }
}

}  // namespace ffclock::daemon
