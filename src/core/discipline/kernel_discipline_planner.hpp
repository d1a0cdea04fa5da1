// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What ffclockd does to the kernel's CLOCK_REALTIME when `[kernel] discipline = true`: given
// the published clock and CLOCK_REALTIME read at the same counter value, decide the kernel's
// frequency, whether to step it, its error fields, STA_UNSYNC (the RTC's 11-minute mode) and
// the leap flags. Pure: the daemon reads the clocks and performs the adjustment.
//
// Design (chrony's, for the same reason): the kernel's own PLL/FLL stays off, so nothing but
// this class steers the clock and the kernel never runs a loop of its own on our offsets.
// The kernel gets a frequency only. Its rate error is measured directly: over an interval in
// which one frequency setting held, REALTIME's advance is compared with the difference clock
// (counter ticks times the published period), which the feed-forward clock's own offset
// corrections do not move. Those corrections have a rate of their own while the oscillator
// moves (the published period is a fit's slope, which lags a thermal cycle): what the last
// slew left unexplained measures it, and a bias term averaged from it follows it. An offset
// is slewed by adding -offset/tau to that frequency until the next run (tau the interval
// between runs, at least 8 s: the daemon runs this every 8 s, so the offset is gone by the
// next run and a run that comes on time never overshoots), and stepped when it is above the
// step threshold and provably wrong (outside the published bound).

#include <cstdint>
#include <optional>

#include "core/page/page_input.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core::discipline {

// The kernel refuses a frequency beyond +-500 ppm (MAXFREQ).
inline constexpr double kMaxKernelFrequencyPpm = 500.0;
// The kernel's largest error estimate (NTP_PHASE_LIMIT): past it the kernel sets STA_UNSYNC.
inline constexpr Duration kMaxKernelError = Duration::seconds(16);

struct DisciplineSettings {
  Duration step_threshold = Duration::milliseconds(128);
  bool rtc = false;  // clear STA_UNSYNC when synchronized, so the kernel writes the RTC
};

// CLOCK_REALTIME as read at a counter value, and the kernel's frequency setting since the
// previous run (adjtimex freq, in ppm).
struct KernelReading {
  uint64_t counter = 0;
  UtcTime realtime;
  double frequency_ppm = 0;
};

enum class KernelLeap : uint8_t { None, Insert, Delete };

struct KernelAdjustment {
  Duration offset;                      // REALTIME - published clock, as measured
  std::optional<Duration> step;         // add this to CLOCK_REALTIME first
  std::optional<double> frequency_ppm;  // the kernel's new frequency; nullopt: leave it
  Duration maxerror = kMaxKernelError;  // of CLOCK_REALTIME after this adjustment
  Duration esterror = kMaxKernelError;
  bool synchronized = false;  // clear STA_UNSYNC (only with rtc)
  KernelLeap leap = KernelLeap::None;
};

// A page the kernel may follow: not UNRELIABLE, not unsynchronized. (A disruption stops
// the slew and any rate measurement across it.)
[[nodiscard]] bool usable_for_discipline(const PageInput& in);

class KernelDisciplinePlanner {
 public:
  explicit KernelDisciplinePlanner(DisciplineSettings settings) : settings_(settings) {}

  // One run: on a publication, or right after a step of the published clock.
  [[nodiscard]] KernelAdjustment plan(const PageInput& published, const KernelReading& kernel);

  // The frequency that makes REALTIME run at the published rate, once measured.
  [[nodiscard]] std::optional<double> rate_frequency_ppm() const {
    return have_rate_ ? std::optional<double>(rate_ppm_) : std::nullopt;
  }

 private:
  // Where the current frequency setting started: REALTIME's advance from here is measured.
  struct Mark {
    uint64_t counter;
    UtcTime realtime;
    double remaining_s;              // the offset left to slew at the mark
    double rate_ppm;                 // the measured rate then
    std::optional<double> slew_ppm;  // the slew set then (none before a rate is known)
  };

  DisciplineSettings settings_;
  std::optional<Mark> mark_;
  bool have_rate_ = false;
  double rate_ppm_ = 0;
  double bias_ppm_ = 0;  // the published clock's rate against counter x period, learned
  // The last interval a rate was measured over. Before the first one, 64 s (poll 6): the
  // first slew overshoots only if the first interval is longer than that.
  double interval_s_ = 64;
};

}  // namespace ffclock::core::discipline
