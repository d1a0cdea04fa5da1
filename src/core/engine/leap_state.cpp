// SPDX-License-Identifier: BSD-2-Clause
#include "core/engine/leap_state.hpp"

namespace ffclock::core::engine {

namespace {

constexpr int64_t kDay = 86400;

// Howard Hinnant's civil-from-days and days-from-civil (proleptic Gregorian).
struct Civil {
  int64_t y;
  unsigned m;
};
Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m};
}
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int64_t floor_day(int64_t s) { return s >= 0 ? s / kDay : -((-s + kDay - 1) / kDay); }

}  // namespace

int64_t next_month_start(UtcTime t) {
  const Civil c = civil_from_days(floor_day(t.unix_seconds()));
  const int64_t y = c.m == 12 ? c.y + 1 : c.y;
  const unsigned m = c.m == 12 ? 1 : c.m + 1;
  return days_from_civil(y, m, 1) * kDay;
}

void LeapState::set_table(const LeapTable& table, UtcTime now) {
  table_ = table;
  if (table_valid(now)) {
    base_ = table_->tai_minus_utc_at(now);
    last_offset_ = base_;
    announced_.reset();
  } else if (!last_crossed_ || last_crossed_->leap_utc_s < table_->expiry().unix_seconds()) {
    // Expired: the offset in force at its expiry holds until a leap the sources announce (one
    // they announced after the expiry and that has happened is newer knowledge: kept).
    base_ = table_->tai_minus_utc_at(table_->expiry());
    last_offset_ = base_;
  }
}

void LeapState::set_indicator(LeapIndicator majority, UtcTime now) {
  if (table_valid(now)) return;
  // Servers keep announcing for a while after the leap, and UTC right after an inserted
  // second reads 23:59:59 again: neither may announce the same leap twice.
  if (last_crossed_ && (next_month_start(now) <= last_crossed_->leap_utc_s ||
                        now.unix_seconds() - last_crossed_->leap_utc_s < kDay)) {
    return;
  }
  if (majority == LeapIndicator::InsertSecond || majority == LeapIndicator::DeleteSecond) {
    const int8_t delta = majority == LeapIndicator::InsertSecond ? 1 : -1;
    announced_ = LeapEvent{next_month_start(now), delta, base_ + delta};
  } else if (majority == LeapIndicator::None && announced_ && now.unix_seconds() < announced_->leap_utc_s) {
    announced_.reset();  // withdrawn before it happened
  }
}

std::optional<LeapEvent> LeapState::advance(UtcTime now) {
  std::optional<LeapEvent> crossed;
  if (announced_ && now.unix_seconds() >= announced_->leap_utc_s) {
    base_ = announced_->tai_minus_utc_after;
    crossed = announced_;
    announced_.reset();
  }
  if (table_valid(now)) {
    const int32_t off = table_->tai_minus_utc_at(now);
    if (have_now_ && off != last_offset_) crossed = table_->last_event_at_or_before(now);
    base_ = off;
  }
  last_offset_ = base_;
  have_now_ = true;
  if (crossed) last_crossed_ = crossed;
  return crossed;
}

int32_t LeapState::tai_minus_utc_at(UtcTime t) const {
  if (table_valid(t)) return table_->tai_minus_utc_at(t);
  if (announced_ && t.unix_seconds() >= announced_->leap_utc_s) return announced_->tai_minus_utc_after;
  return base_;
}

int32_t LeapState::tai_minus_utc_at(TaiTime t) const {
  // TAI − UTC changes by at most one second per leap: try the offset before the instant.
  const UtcTime approx = to_utc(t, base_);
  if (table_valid(approx)) return table_->tai_minus_utc_at(t);
  if (announced_) {
    const TaiTime switch_at = to_tai(UtcTime::from_unix(announced_->leap_utc_s), base_);
    const TaiTime switch_min =
        announced_->delta > 0 ? switch_at + Duration::seconds(1) : switch_at - Duration::seconds(1);
    if (t >= switch_min) return announced_->tai_minus_utc_after;
  }
  return base_;
}

bool LeapState::offset_known() const { return table_.has_value(); }

bool LeapState::table_expired(UtcTime now) const { return table_ && table_->expired(now); }

std::optional<LeapEvent> LeapState::relevant_event(UtcTime now) const {
  if (table_valid(now)) {
    if (auto last = table_->last_event_at_or_before(now);
        last && now.unix_seconds() - last->leap_utc_s < kDay)
      return last;
    return table_->next_event_after(now);
  }
  if (announced_) return announced_;
  if (last_crossed_ && now.unix_seconds() - last_crossed_->leap_utc_s < kDay) return last_crossed_;
  return std::nullopt;
}

LeapIndicator LeapState::indicator(UtcTime now) const {
  const auto ev = relevant_event(now);
  if (!ev || ev->leap_utc_s <= now.unix_seconds() || ev->leap_utc_s > next_month_start(now))
    return LeapIndicator::None;
  return ev->delta > 0 ? LeapIndicator::InsertSecond : LeapIndicator::DeleteSecond;
}

bool LeapState::near_leap(UtcTime t, Duration guard) const {
  const auto ev = relevant_event(t);
  if (!ev) return false;
  const Duration d = t - UtcTime::from_unix(ev->leap_utc_s);
  return abs(d) <= guard;
}

}  // namespace ffclock::core::engine
