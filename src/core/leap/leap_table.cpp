// SPDX-License-Identifier: BSD-2-Clause
// Queries on a parsed leap table: offsets at UTC and TAI instants, and neighbouring events.
#include "core/leap/leap_table.hpp"

#include <algorithm>

namespace ffclock::core {

LeapEvent LeapTable::event_at(size_t i) const {
  const Entry& e = entries_[i];
  const int32_t delta = e.tai_minus_utc - entries_[i - 1].tai_minus_utc;  // ±1, checked by parse
  return LeapEvent{e.utc_s, static_cast<int8_t>(delta), e.tai_minus_utc};
}

int64_t LeapTable::tai_switch_s(size_t i) const {
  const int32_t after = entries_[i].tai_minus_utc;
  const int32_t before = i == 0 ? after : entries_[i - 1].tai_minus_utc;
  return entries_[i].utc_s + std::min(before, after);
}

int64_t LeapTable::index_at(UtcTime t) const {
  // Leaps are at whole seconds, so comparing with floor(t) is exact.
  const int64_t s = t.unix_seconds();
  const auto it = std::upper_bound(entries_.begin(), entries_.end(), s,
                                   [](int64_t v, const Entry& e) { return v < e.utc_s; });
  return (it - entries_.begin()) - 1;
}

int64_t LeapTable::index_at(TaiTime t) const {
  const int64_t s = t.unix_seconds();
  int64_t i = static_cast<int64_t>(entries_.size()) - 1;
  while (i >= 0 && tai_switch_s(static_cast<size_t>(i)) > s) --i;  // ~30 entries: a scan is fine
  return i;
}

int32_t LeapTable::tai_minus_utc_at(UtcTime t) const {
  const int64_t i = index_at(t);
  return entries_[static_cast<size_t>(std::max<int64_t>(i, 0))].tai_minus_utc;
}

int32_t LeapTable::tai_minus_utc_at(TaiTime t) const {
  const int64_t i = index_at(t);
  return entries_[static_cast<size_t>(std::max<int64_t>(i, 0))].tai_minus_utc;
}

UtcTime LeapTable::utc_at(TaiTime t) const { return to_utc(t, tai_minus_utc_at(t)); }

std::optional<LeapEvent> LeapTable::next_event_after(UtcTime t) const {
  // Entry 0 starts the table (1972-01-01); it is not a leap.
  const size_t i = static_cast<size_t>(std::max<int64_t>(index_at(t) + 1, 1));
  if (i >= entries_.size()) return std::nullopt;
  return event_at(i);
}

std::optional<LeapEvent> LeapTable::next_event_after(TaiTime t) const {
  const size_t i = static_cast<size_t>(std::max<int64_t>(index_at(t) + 1, 1));
  if (i >= entries_.size()) return std::nullopt;
  return event_at(i);
}

std::optional<LeapEvent> LeapTable::last_event_at_or_before(UtcTime t) const {
  const int64_t i = index_at(t);
  if (i < 1) return std::nullopt;
  return event_at(static_cast<size_t>(i));
}

std::optional<LeapEvent> LeapTable::last_event_at_or_before(TaiTime t) const {
  const int64_t i = index_at(t);
  if (i < 1) return std::nullopt;
  return event_at(static_cast<size_t>(i));
}

}  // namespace ffclock::core
