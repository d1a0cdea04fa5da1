// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The evaluation log (`ffclockd --eval-reference /dev/ptpN`): once a second, the published
// clock read through the public reader next to a reference clock read around it, as
//   EVAL <reference_ns> <counter> <published - reference, s> <maxerror, s>
// (the simulation method's rule 11: under clknetsim the reference is true time).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "daemon/log_sink.hpp"
#include "ffclock/clock.hpp"
#include "platform/reference_clock.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/task.hpp"

namespace ffclock::daemon {

// One EVAL line (without a newline) for a reading taken at reference time `reference_ns`.
[[nodiscard]] std::string format_eval_line(int64_t reference_ns, const ClockReading& reading);

class EvalLog {
 public:
  using Emit = std::function<void(const std::string& line)>;
  EvalLog(platform::ReferenceClock& reference, Emit emit, LogSink& log)
      : reference_(reference), emit_(std::move(emit)), log_(log) {}

  // Reads the reference, the clock, and the reference again; emits the line stamped with
  // the two reference reads' midpoint. False when either clock could not be read or the
  // page's status is UNKNOWN (nothing is emitted; the first failure of a spell is logged).
  bool sample(const Clock& clock);

  // Once a second until cancelled; opens the page when it can (it may not exist yet).
  [[nodiscard]] runtime::Task<void> run(runtime::Scheduler& sched, std::string page_path);

  [[nodiscard]] uint64_t lines() const { return lines_; }

 private:
  platform::ReferenceClock& reference_;
  Emit emit_;
  LogSink& log_;
  uint64_t lines_ = 0;
  bool failing_ = false;
};

}  // namespace ffclock::daemon
