// SPDX-License-Identifier: BSD-2-Clause
// Fuzzes the leap-seconds.list parser: any input is either rejected with an error value or
// yields a table whose invariants hold and whose queries agree with the smear-side view.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/leap/leap_table.hpp"

namespace {
using namespace ffclock;

void check(bool ok) {
  if (!ok) std::abort();
}

void check_table(const core::LeapTable& t) {
  const auto& e = t.entries();
  check(!e.empty());
  check(t.expiry() > t.last_update());
  for (size_t i = 1; i < e.size(); ++i) {
    check(e[i].utc_s > e[i - 1].utc_s);
    const int64_t step = int64_t{e[i].tai_minus_utc} - e[i - 1].tai_minus_utc;
    check(step == 1 || step == -1);
    const auto ev = t.last_event_at_or_before(UtcTime::from_unix(e[i].utc_s));
    check(ev.has_value() && ev->leap_utc_s == e[i].utc_s && ev->delta == step);
    // Midnight after the leap, in TAI, maps back to itself and to the event's view.
    const TaiTime midnight = to_tai(UtcTime::from_unix(e[i].utc_s), e[i].tai_minus_utc);
    check(t.utc_at(midnight) == UtcTime::from_unix(e[i].utc_s));
    check(utc_from_tai(midnight, *ev) == UtcTime::from_unix(e[i].utc_s));
    const auto prev = t.next_event_after(UtcTime::from_unix(e[i].utc_s - 1));
    check(prev.has_value() && *prev == *ev);
  }
  check(!t.next_event_after(UtcTime::from_unix(e.back().utc_s)).has_value());
  check(t.tai_minus_utc_at(UtcTime::from_unix(e.back().utc_s)) == e.back().tai_minus_utc);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto strict = core::LeapTable::parse(text);
  if (strict) check_table(*strict);
  const auto lenient = core::LeapTable::parse(text, core::LeapParseOptions{.require_hash = false});
  if (lenient) check_table(*lenient);
  if (strict) check(lenient.has_value() && lenient->entries() == strict->entries());
  if (!strict) check(!core::to_string(strict.error().code).empty());
  return 0;
}
