// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The engine's leap-second state: TAI − UTC now and at any nearby instant, the next leap,
// from the leap-seconds.list table while it is valid and from the sources' leap indicators
// otherwise (an expired table still gives the offset at its expiry). The engine unfolds
// server UTC timestamps with it (so estimators see TAI) and derives the page's leap fields.

#include <cstdint>
#include <optional>

#include "core/exchange.hpp"
#include "core/leap/leap_table.hpp"
#include "ffclock/smear.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core::engine {

// 00:00:00 UTC of the first day of the month after the one holding `t` (POSIX seconds):
// where an NTP leap indicator puts its leap.
[[nodiscard]] int64_t next_month_start(UtcTime t);

class LeapState {
 public:
  // Without a table TAI − UTC is assumed to be this (the value since 2017) and marked unknown.
  static constexpr int32_t kAssumedTaiMinusUtc = 37;

  void set_table(const LeapTable& table, UtcTime now);
  // The selected sources' majority leap indicator at `now`. Ignored while a valid table
  // speaks (the table is the authority; servers disagreeing with it are logged by the caller).
  void set_indicator(LeapIndicator majority, UtcTime now);
  // Moves the state to `now`: returns the leap that was crossed since the last call, if any.
  [[nodiscard]] std::optional<LeapEvent> advance(UtcTime now);

  // TAI − UTC at a UTC instant (a server timestamp), by the table or the announced leap.
  [[nodiscard]] int32_t tai_minus_utc_at(UtcTime t) const;
  [[nodiscard]] int32_t tai_minus_utc_at(TaiTime t) const;
  // True with a table, expired or not: past its expiry the offset is the one in force at the
  // expiry plus the leaps the sources announced since (as ntpd and chrony keep using theirs),
  // and the page says the table expired. Without a table the offset is an assumption.
  [[nodiscard]] bool offset_known() const;
  [[nodiscard]] bool table_expired(UtcTime now) const;
  // The leap the page should describe: the next one (from the table within a month, or the
  // announced one), or the last one for a day after it (smear windows end after the leap).
  [[nodiscard]] std::optional<LeapEvent> relevant_event(UtcTime now) const;
  // Leap pending at the next leap instant, as an indicator (for summaries and the server).
  [[nodiscard]] LeapIndicator indicator(UtcTime now) const;
  // True when `t` lies within `guard` of a leap instant: such timestamps are ambiguous.
  [[nodiscard]] bool near_leap(UtcTime t, Duration guard) const;

 private:
  [[nodiscard]] bool table_valid(UtcTime now) const { return table_ && !table_->expired(now); }

  std::optional<LeapTable> table_;
  int32_t base_ = kAssumedTaiMinusUtc;  // TAI − UTC before any announced leap
  std::optional<LeapEvent> announced_;  // from the leap indicators (no valid table)
  std::optional<LeapEvent> last_crossed_;
  int32_t last_offset_ = kAssumedTaiMinusUtc;
  bool have_now_ = false;
};

}  // namespace ffclock::core::engine
