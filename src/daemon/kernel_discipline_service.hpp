// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// `[kernel] discipline = true`: keeps CLOCK_REALTIME on the published clock. Every
// kRunInterval (the daemon's timer), on every step, on the first publication and when the
// page turns usable or unusable, it reads REALTIME between two counter reads, asks the
// KernelDisciplinePlanner what to do and performs it through KernelClockDiscipline. Steps,
// failures and a first synchronisation go to the log; nothing here reads the page file.
//
// Why a timer and not every publication: a slew is a frequency offset that lasts until the
// next run, sized for the interval the runs come at. Publications stop for minutes when the
// estimator drops poor exchanges, and a slew left running that long overshoots (under
// clknetsim, 120 us on a 40 us offset). The published clock is valid between publications,
// so runs at a fixed interval keep every slew on time.

#include <chrono>
#include <optional>

#include "core/discipline/kernel_discipline_planner.hpp"
#include "core/engine/actions.hpp"
#include "core/page/page_input.hpp"
#include "daemon/log_sink.hpp"
#include "platform/counter.hpp"
#include "platform/kernel_clock.hpp"
#include "platform/kernel_clock_discipline.hpp"

namespace ffclock::daemon {

class KernelDisciplineService {
 public:
  KernelDisciplineService(platform::Counter& counter, platform::KernelClock& clock,
                          platform::KernelClockDiscipline& kernel, LogSink& log,
                          core::discipline::DisciplineSettings settings)
      : counter_(counter), clock_(clock), kernel_(kernel), log_(log), planner_(settings) {}

  static constexpr std::chrono::seconds kRunInterval{8};

  // A new publication (the page already holds it).
  void on_publication(const core::PageInput& published);
  // The daemon's timer, every kRunInterval.
  void on_tick();
  // The published clock stepped: follow at once with the latest publication.
  void on_step(const core::engine::StepNotice& notice);

  [[nodiscard]] uint64_t runs() const { return runs_; }
  [[nodiscard]] uint64_t steps() const { return steps_; }
  [[nodiscard]] const std::optional<core::discipline::KernelAdjustment>& last() const { return last_; }

 private:
  void run();

  platform::Counter& counter_;
  platform::KernelClock& clock_;
  platform::KernelClockDiscipline& kernel_;
  LogSink& log_;
  core::discipline::KernelDisciplinePlanner planner_;
  std::optional<core::PageInput> latest_;
  std::optional<core::discipline::KernelAdjustment> last_;
  uint64_t runs_ = 0;
  uint64_t steps_ = 0;
  bool failing_ = false;  // one warning per failing spell, not one per run
  bool synchronized_ = false;
};

}  // namespace ffclock::daemon
