// SPDX-License-Identifier: BSD-2-Clause
#include "core/discipline/kernel_discipline_planner.hpp"

#include <algorithm>
#include <cmath>

namespace ffclock::core::discipline {
namespace {

// Shorter intervals are dominated by the jitter of reading REALTIME (tens of ns).
constexpr double kMinRateInterval_s = 1.0;
// Rate measurements are averaged over about this long. With runs every 8 s each interval
// counts in full: reading jitter of tens of ns is a few ppb over 8 s, and a moving oscillator
// (a thermal cycle) is followed without lag.
constexpr double kRateAveraging_s = 8.0;
// The published clock's own rate against counter x period (its offset corrections at each
// publication, which follow the oscillator) is learned over about this long from what the
// slews left over; it is why REALTIME keeps up with the page through a thermal cycle.
constexpr double kBiasAveraging_s = 32.0;
constexpr double kMaxBiasPpm = 50.0;
// A measured rate error beyond this is not the oscillator: somebody else stepped REALTIME.
constexpr double kMaxPlausibleRatePpm = 2 * kMaxKernelFrequencyPpm;
// An offset is slewed over tau = the interval between runs (all of it by the next run, when
// runs come on time), within these limits.
constexpr double kMinSlewTime_s = 8.0;
constexpr double kMaxSlewTime_s = 4096.0;
// The RTC holds whole seconds and the kernel writes it at the half second: within half a
// second it is within one.
constexpr Duration kRtcSyncBound = Duration::milliseconds(500);
constexpr int64_t kSecondsPerDay = 86'400;

}  // namespace

bool usable_for_discipline(const PageInput& in) {
  return !in.unreliable && in.params.status != SyncStatus::Unsynchronized;
}

KernelAdjustment KernelDisciplinePlanner::plan(const PageInput& published, const KernelReading& kernel) {
  const ClockParams& p = published.params;
  KernelAdjustment a;
  const UtcTime now = p.time_at(kernel.counter);
  a.offset = kernel.realtime - now;

  if (!usable_for_discipline(published)) {
    // The counter may have jumped: no interval across this is a rate measurement. Keep the
    // measured rate, stop slewing, leave the offset alone and say the clock is unsynchronized.
    mark_.reset();
    bias_ppm_ = 0;  // a disruption may bring another clock; learn it again
    if (have_rate_) a.frequency_ppm = rate_ppm_;
    return a;
  }

  bool interval_complete = !mark_.has_value();
  if (mark_) {
    const Duration elapsed =
        p.period.ticks_to_duration(static_cast<int64_t>(kernel.counter - mark_->counter));
    const double elapsed_s = elapsed.to_seconds();
    if (elapsed_s >= kMinRateInterval_s) {
      interval_complete = true;
      // REALTIME advanced by (1 + e)(1 + f) per published second, f the kernel's setting
      // through the interval and e its clocksource's own error; the rate that cancels e is
      // 1/(1 + e) - 1.
      const long double ratio = (kernel.realtime - mark_->realtime).to_seconds_ld() / elapsed.to_seconds_ld();
      const long double base = ratio / (1.0L + static_cast<long double>(kernel.frequency_ppm) * 1e-6L);
      const double measured = static_cast<double>((1.0L / base - 1.0L) * 1e6L);
      if (std::isfinite(measured) && std::abs(measured) <= kMaxPlausibleRatePpm) {
        const double w = have_rate_ ? std::min(1.0, elapsed_s / kRateAveraging_s) : 1.0;
        rate_ppm_ += w * (measured - rate_ppm_);
        // What the last setting did not explain. Over the interval the offset moved at
        // (setting - measured rate - b), b the published clock's rate against counter x
        // period; the setting was the rate then + the bias term + the slew. What is left,
        // bias term - b, is averaged out of the bias term.
        if (have_rate_ && mark_->slew_ppm) {
          const double moved_ppm = (a.offset.to_seconds() - mark_->remaining_s) / elapsed_s * 1e6;
          const double unexplained_ppm = moved_ppm - (*mark_->slew_ppm + mark_->rate_ppm - measured);
          const double wb = std::min(1.0, elapsed_s / kBiasAveraging_s);
          bias_ppm_ = std::clamp(bias_ppm_ - wb * unexplained_ppm, -kMaxBiasPpm, kMaxBiasPpm);
        }
        have_rate_ = true;
        interval_s_ = elapsed_s;
      }
    }
  }

  // Step only when the kernel is provably wrong (outside the published bound), not just far.
  const Duration bound = p.maxerror_at(kernel.counter);
  Duration remaining = a.offset;
  if (abs(a.offset) > settings_.step_threshold && abs(a.offset) > bound) {
    a.step = -a.offset;
    remaining = Duration::zero();
  }

  // A new frequency starts a new measurement interval, so one setting holds through each.
  if (interval_complete || a.step) {
    const double rate = have_rate_ ? rate_ppm_ + bias_ppm_ : kernel.frequency_ppm;
    const double tau = std::clamp(interval_s_, kMinSlewTime_s, kMaxSlewTime_s);
    const double slew = -remaining.to_seconds() / tau * 1e6;
    a.frequency_ppm = std::clamp(rate + slew, -kMaxKernelFrequencyPpm, kMaxKernelFrequencyPpm);
    // The slew as applied (after the kernel's limit), for the next run's bias measurement.
    const std::optional<double> applied =
        have_rate_ ? std::optional<double>(*a.frequency_ppm - rate) : std::nullopt;
    mark_ = Mark{kernel.counter, a.step ? kernel.realtime + *a.step : kernel.realtime, remaining.to_seconds(),
                 rate_ppm_, applied};
  }

  a.maxerror = std::min(kMaxKernelError, bound + abs(remaining));
  a.esterror = std::min(kMaxKernelError, p.time_esterror + abs(remaining));
  a.synchronized = settings_.rtc && p.status == SyncStatus::Synchronized && a.maxerror < kRtcSyncBound;

  // The kernel applies STA_INS/STA_DEL at the next UTC midnight: set it on the leap's day.
  if (published.next_leap && published.next_leap->event.delta != 0) {
    const int64_t to_leap = published.next_leap->event.leap_utc_s - now.unix_seconds();
    if (to_leap > 0 && to_leap <= kSecondsPerDay)
      a.leap = published.next_leap->event.delta > 0 ? KernelLeap::Insert : KernelLeap::Delete;
  }
  return a;
}

}  // namespace ffclock::core::discipline
