// SPDX-License-Identifier: BSD-2-Clause
// Page encode/decode: the only place that knows how ClockParams map onto page fields.
#include "core/page/page_codec.hpp"

#include <cmath>
#include <limits>

#include "ffclock/page_math.hpp"

namespace ffclock::core {
namespace {

constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();

// ceil(rel * frac), saturating: an error rate in the period's own unit.
uint64_t rate_in_period_units(double rel, CounterPeriod p) {
  if (!(rel > 0.0) || p.frac == 0) return 0;
  const long double v = std::ceil(static_cast<long double>(rel) * static_cast<long double>(p.frac));
  return v >= 18446744073709551615.0L ? kMaxU64 : static_cast<uint64_t>(v);
}

double rel_from_rate(uint64_t rate, CounterPeriod p) {
  if (p.frac == 0) return 0.0;
  return static_cast<double>(static_cast<long double>(rate) / static_cast<long double>(p.frac));
}

uint64_t nanos_ceil(Duration d) {
  if (d <= Duration::zero()) return 0;
  if (d.fixed() >= int128{1} << 98) return kMaxU64;  // 2^34 s > 2^64 ns; and d * 1e9 stays in range
  // Rounded up, except for the last 2^-24 ns that 64.64 rounding of a whole-ns value adds.
  const int128 ns = detail::floor_div(d.fixed() * kNanosPerSecond + (kFixedOneSecond - 1) - (int128{1} << 40),
                                      kFixedOneSecond);
  return ns > static_cast<int128>(kMaxU64) ? kMaxU64 : static_cast<uint64_t>(ns);
}

// The counter value `span` after the anchor (ticks capped at 2^62 so that the signed
// comparisons in page_math::past stay meaningful).
uint64_t counter_after(uint64_t anchor, Duration span, CounterPeriod p) {
  if (p.frac == 0 || span <= Duration::zero()) return anchor;
  const long double ticks = span.to_seconds_ld() / p.to_seconds();
  const long double cap = 4611686018427387904.0L;  // 2^62
  return anchor + static_cast<uint64_t>(ticks >= cap ? cap : ticks);
}

// vmclock's leap_indicator at the anchor: PRE_* during the month whose end the leap is at
// (the ABI's "at the end of this month"), POST_* during the month that starts with it.
uint8_t leap_indicator(const PageInput& in) {
  if (!in.next_leap || in.next_leap->event.delta == 0) return FFCLOCK_LEAP_NONE;
  const LeapEvent& ev = in.next_leap->event;
  const int64_t anchor_s = in.params.anchor_time.unix_seconds();
  constexpr int64_t kLimit = int64_t{1} << 50;  // far beyond any calendar in use
  if (anchor_s <= -kLimit || anchor_s >= kLimit || ev.leap_utc_s <= -kLimit || ev.leap_utc_s >= kLimit) {
    return FFCLOCK_LEAP_NONE;
  }
  if (anchor_s < ev.leap_utc_s) {
    if (anchor_s < page_math::utc_month_start(ev.leap_utc_s - 1)) return FFCLOCK_LEAP_NONE;
    return ev.delta > 0 ? FFCLOCK_LEAP_PRE_POS : FFCLOCK_LEAP_PRE_NEG;
  }
  if (page_math::utc_month_start(anchor_s) > ev.leap_utc_s) return FFCLOCK_LEAP_NONE;
  return ev.delta > 0 ? FFCLOCK_LEAP_POST_POS : FFCLOCK_LEAP_POST_NEG;
}

uint8_t smearing_hint(SmearKind k) {
  switch (k) {
    case SmearKind::NoonLinear:
      return FFCLOCK_SMEAR_HINT_NOON_LINEAR;
    case SmearKind::UtcSls:
      return FFCLOCK_SMEAR_HINT_UTC_SLS;
    case SmearKind::None:
    case SmearKind::Cosine:
      break;  // no vmclock value for a cosine smear
  }
  return FFCLOCK_SMEAR_HINT_STRICT;
}

}  // namespace

uint8_t vmclock_counter_id(uint8_t id) {
  return id == FFCLOCK_COUNTER_ARM_VCNT || id == FFCLOCK_COUNTER_X86_TSC ? id : FFCLOCK_COUNTER_INVALID;
}

uint8_t page_time_type(const PageInput& in) {
  return in.tai_offset_known ? FFCLOCK_TIME_TAI : FFCLOCK_TIME_UTC;
}

uint8_t to_clock_status(SyncStatus s, bool unreliable) {
  if (unreliable) return FFCLOCK_STATUS_UNRELIABLE;
  switch (s) {
    case SyncStatus::Unsynchronized:
      return FFCLOCK_STATUS_UNKNOWN;
    case SyncStatus::WarmUp:
      return FFCLOCK_STATUS_INITIALIZING;
    case SyncStatus::Synchronized:
      return FFCLOCK_STATUS_SYNCHRONIZED;
    case SyncStatus::Holdover:
      return FFCLOCK_STATUS_FREERUNNING;
  }
  return FFCLOCK_STATUS_UNKNOWN;
}

SyncStatus from_clock_status(uint8_t s) {
  switch (s) {
    case FFCLOCK_STATUS_INITIALIZING:
      return SyncStatus::WarmUp;
    case FFCLOCK_STATUS_SYNCHRONIZED:
      return SyncStatus::Synchronized;
    case FFCLOCK_STATUS_FREERUNNING:
      return SyncStatus::Holdover;
    default:
      return SyncStatus::Unsynchronized;
  }
}

const char* to_string(PageError e) {
  switch (e) {
    case PageError::TooSmall:
      return "file too small for a clock page";
    case PageError::BadMagic:
      return "not a vmclock page (bad magic)";
    case PageError::BadVersion:
      return "unsupported vmclock version";
    case PageError::BadSize:
      return "page size field inconsistent with the mapping";
    case PageError::NoExtension:
      return "vmclock page without the ffclock extension";
    case PageError::BadExtVersion:
      return "unsupported ffclock extension version";
    case PageError::OutOfRange:
      return "page times out of range (a corrupt page)";
  }
  return "unknown page error";
}

EncodedPage encode_page(const PageInput& in, const WriterState& state, uint64_t c0,
                        const MonotonicConfig& mono_config) {
  EncodedPage out;
  ffclock_vmclock_abi& v = out.page.vmclock;
  ffclock_page_ext& x = out.page.ext;
  const ClockParams& p = in.params;
  const CounterPeriod abs_period = p.local_period.frac != 0 ? p.local_period : p.period;
  const bool calibrated = p.status != SyncStatus::Unsynchronized && abs_period.frac != 0;
  const int32_t offset = in.tai_offset_known ? in.tai_minus_utc : 0;
  const TaiTime anchor_tai = to_tai(p.anchor_time, offset);

  v.magic = FFCLOCK_VMCLOCK_MAGIC;
  v.size = FFCLOCK_PAGE_SIZE;
  v.version = FFCLOCK_VMCLOCK_VERSION;
  // The vmclock part names only counters the ABI knows; the extension holds the real one.
  v.counter_id = vmclock_counter_id(in.counter_id);
  // TAI when the offset is known (no discontinuity at a leap); UTC otherwise. The offset
  // goes in the extension with vmclock's TAI_OFFSET_VALID clear: Linux drivers read
  // tai_offset_sec as UTC - TAI (mainline adds it to TAI to get UTC, the 2026 driver
  // subtracts it from UTC to get TAI), the vmclock spec and its host prototype as TAI - UTC.
  // With the flag clear, mainline refuses a TAI page and reads a UTC page as is, and the
  // newer driver reads a TAI page as is and refuses a UTC page: never a wrong time.
  v.time_type = page_time_type(in);
  v.disruption_marker = in.disruption_marker;
  v.flags = 0;
  if (calibrated) {
    v.flags |= FFCLOCK_FLAG_PERIOD_ESTERROR_VALID | FFCLOCK_FLAG_PERIOD_MAXERROR_VALID |
               FFCLOCK_FLAG_TIME_ESTERROR_VALID | FFCLOCK_FLAG_TIME_MAXERROR_VALID;
  }
  if (in.vm_generation_present) v.flags |= FFCLOCK_FLAG_VM_GEN_COUNTER_PRESENT;
  if (in.disruption_soon) v.flags |= FFCLOCK_FLAG_DISRUPTION_SOON;
  if (in.disruption_imminent) v.flags |= FFCLOCK_FLAG_DISRUPTION_IMMINENT;
  v.clock_status = to_clock_status(p.status, in.unreliable);
  v.leap_second_smearing_hint = in.next_leap ? smearing_hint(in.next_leap->smear) : FFCLOCK_SMEAR_HINT_STRICT;
  v.tai_offset_sec = 0;
  v.leap_indicator = leap_indicator(in);
  v.counter_period_shift = abs_period.shift;
  v.counter_value = p.anchor_counter;
  v.counter_period_frac_sec = abs_period.frac;
  v.counter_period_esterror_rate_frac_sec = rate_in_period_units(p.period_esterror_rel, abs_period);
  v.counter_period_maxerror_rate_frac_sec = rate_in_period_units(p.period_maxerror_rel, abs_period);
  const page_math::Split t = page_math::split(anchor_tai.fixed());
  v.time_sec = t.sec;
  v.time_frac_sec = t.frac;
  v.time_esterror_nanosec = nanos_ceil(p.time_esterror);
  v.time_maxerror_nanosec = nanos_ceil(p.time_maxerror);
  v.vm_generation_counter = in.vm_generation;

  // Monotonic segment from c0: continuous with the previous one, TAI-rate, slewed.
  const TaiTime tai_c0 = TaiTime::from_fixed(page_math::wrap_add(
      anchor_tai.fixed(), page_math::scale_signed(c0, p.anchor_counter, abs_period.frac, abs_period.shift)));
  const CounterPeriod mono_rate = abs_period.frac != 0 ? abs_period : state.mono.rate;
  const MonotonicUpdate mono =
      reanchor_monotonic(state.mono, c0, tai_c0, mono_rate, calibrated, in.reference_step, mono_config);
  out.next.mono = mono.segment;
  out.next.step_generation = state.step_generation + ((mono.stepped || in.reference_step) ? 1 : 0);
  out.next.heartbeat_count = state.heartbeat_count + 1;

  x.magic = FFCLOCK_EXT_MAGIC;
  x.version = FFCLOCK_EXT_VERSION;
  x.size = sizeof(ffclock_page_ext);
  x.counter_id = in.counter_id;
  x.flags = FFCLOCK_EXT_FLAG_MONOTONIC_VALID;
  if (in.tai_offset_known) x.flags |= FFCLOCK_EXT_FLAG_TAI_OFFSET_VALID;
  x.tai_minus_utc = offset;
  if (in.next_leap) x.flags |= FFCLOCK_EXT_FLAG_LEAP_VALID;
  if (in.host_disruption_marker) x.flags |= FFCLOCK_EXT_FLAG_HOST_MARKER_VALID;
  if (in.leap_table_expired) x.flags |= FFCLOCK_EXT_FLAG_LEAP_EXPIRED;
  x.period_frac_sec = p.period.frac;
  x.period_shift = p.period.shift;
  if (in.next_leap) {
    x.smear_kind = static_cast<uint8_t>(in.next_leap->smear);
    x.leap_delta = in.next_leap->event.delta;
    x.tai_minus_utc_after = static_cast<int16_t>(in.next_leap->event.tai_minus_utc_after);
    x.leap_utc_sec = in.next_leap->event.leap_utc_s;
    x.smear_start_rel_sec = in.next_leap->window.start_rel_s;
    x.smear_end_rel_sec = in.next_leap->window.end_rel_s;
  } else {
    x.tai_minus_utc_after = static_cast<int16_t>(offset);
  }
  x.source_stratum = in.source.stratum;
  x.source_refid = in.source.refid;
  x.root_delay_nanosec = nanos_ceil(in.source.root_delay);
  x.root_dispersion_nanosec = nanos_ceil(in.source.root_dispersion);
  const page_math::Split mb = page_math::split(mono.segment.base.fixed());
  x.mono_counter = mono.segment.anchor_counter;
  x.mono_sec = mb.sec;
  x.mono_frac = mb.frac;
  x.mono_period_frac_sec = mono.segment.rate.frac;
  x.mono_period_shift = mono.segment.rate.shift;
  const page_math::Split mo = page_math::split(mono.segment.origin.fixed());
  x.mono_origin_tai_sec = mo.sec;
  x.mono_origin_tai_frac = mo.frac;
  x.step_generation = out.next.step_generation;
  x.stale_after_counter =
      calibrated ? counter_after(in.fresh_at(), in.stale_after, abs_period) : p.anchor_counter;
  x.void_after_counter =
      calibrated ? counter_after(in.fresh_at(), in.void_after, abs_period) : p.anchor_counter;
  x.host_disruption_marker = in.host_disruption_marker.value_or(0);
  x.heartbeat_count = out.next.heartbeat_count;
  x.heartbeat_counter = c0;
  return out;
}

std::optional<PageError> validate_page(const ffclock_page& page, uint64_t region_size) {
  if (region_size < sizeof(ffclock_vmclock_abi)) return PageError::TooSmall;
  const ffclock_vmclock_abi& v = page.vmclock;
  if (v.magic != FFCLOCK_VMCLOCK_MAGIC) return PageError::BadMagic;
  if (v.version != FFCLOCK_VMCLOCK_VERSION) return PageError::BadVersion;
  if (v.size < sizeof(ffclock_page) || v.size > region_size) {
    return v.size < sizeof(ffclock_page) && v.size >= sizeof(ffclock_vmclock_abi) ? PageError::NoExtension
                                                                                  : PageError::BadSize;
  }
  if (region_size < sizeof(ffclock_page)) return PageError::TooSmall;
  if (page.ext.magic != FFCLOCK_EXT_MAGIC) return PageError::NoExtension;
  if (page.ext.version != FFCLOCK_EXT_VERSION || page.ext.size < sizeof(ffclock_page_ext)) {
    return PageError::BadExtVersion;
  }
  return std::nullopt;
}

Result<DecodedPage, PageError> decode_page(const ffclock_page& page, uint64_t region_size) {
  if (const auto err = validate_page(page, region_size)) return Unexpected{*err};
  const ffclock_vmclock_abi& v = page.vmclock;
  const ffclock_page_ext& x = page.ext;
  // Times a writer could have published (|t| < 2^40 s, beyond year 30000): anything else is
  // a corrupt page, which a restarted writer replaces rather than continues.
  auto sane = [](uint64_t sec) {
    const auto s = static_cast<int64_t>(sec);
    return s > -(int64_t{1} << 40) && s < (int64_t{1} << 40);
  };
  if (!sane(v.time_sec) || !sane(x.mono_sec) || !sane(x.mono_origin_tai_sec))
    return Unexpected{PageError::OutOfRange};
  DecodedPage d;
  PageInput& in = d.input;
  ClockParams& p = in.params;
  in.counter_id = x.counter_id;
  in.tai_offset_known = (x.flags & FFCLOCK_EXT_FLAG_TAI_OFFSET_VALID) != 0;
  in.tai_minus_utc = x.tai_minus_utc;
  const TaiTime anchor_tai = TaiTime::from_fixed(page_math::join(v.time_sec, v.time_frac_sec));
  p.anchor_counter = v.counter_value;
  p.anchor_time = to_utc(anchor_tai, in.tai_offset_known ? in.tai_minus_utc : 0);
  p.local_period = {v.counter_period_frac_sec, v.counter_period_shift};
  p.period = {x.period_frac_sec, x.period_shift};
  p.time_esterror = Duration::nanoseconds(static_cast<int64_t>(v.time_esterror_nanosec));
  p.time_maxerror = Duration::nanoseconds(static_cast<int64_t>(v.time_maxerror_nanosec));
  p.period_esterror_rel = rel_from_rate(v.counter_period_esterror_rate_frac_sec, p.local_period);
  p.period_maxerror_rel = rel_from_rate(v.counter_period_maxerror_rate_frac_sec, p.local_period);
  p.status = from_clock_status(v.clock_status);
  in.unreliable = v.clock_status == FFCLOCK_STATUS_UNRELIABLE;
  in.disruption_marker = v.disruption_marker;
  in.vm_generation = v.vm_generation_counter;
  in.vm_generation_present = (v.flags & FFCLOCK_FLAG_VM_GEN_COUNTER_PRESENT) != 0;
  in.disruption_soon = (v.flags & FFCLOCK_FLAG_DISRUPTION_SOON) != 0;
  in.disruption_imminent = (v.flags & FFCLOCK_FLAG_DISRUPTION_IMMINENT) != 0;
  if (x.flags & FFCLOCK_EXT_FLAG_LEAP_VALID) {
    LeapSchedule s;
    s.event = LeapEvent{x.leap_utc_sec, x.leap_delta, x.tai_minus_utc_after};
    s.smear = static_cast<SmearKind>(x.smear_kind <= 3 ? x.smear_kind : 0);
    s.window = SmearWindow{x.smear_start_rel_sec, x.smear_end_rel_sec};
    in.next_leap = s;
  }
  in.leap_table_expired = (x.flags & FFCLOCK_EXT_FLAG_LEAP_EXPIRED) != 0;
  in.source = {x.source_stratum, x.source_refid,
               Duration::nanoseconds(static_cast<int64_t>(x.root_delay_nanosec)),
               Duration::nanoseconds(static_cast<int64_t>(x.root_dispersion_nanosec))};
  if (x.flags & FFCLOCK_EXT_FLAG_HOST_MARKER_VALID) in.host_disruption_marker = x.host_disruption_marker;
  d.stale_after_counter = x.stale_after_counter;
  d.void_after_counter = x.void_after_counter;
  d.state.mono.valid = (x.flags & FFCLOCK_EXT_FLAG_MONOTONIC_VALID) != 0;
  d.state.mono.anchor_counter = x.mono_counter;
  d.state.mono.base = Duration::from_fixed(page_math::join(x.mono_sec, x.mono_frac));
  d.state.mono.rate = {x.mono_period_frac_sec, x.mono_period_shift};
  d.state.mono.origin = TaiTime::from_fixed(page_math::join(x.mono_origin_tai_sec, x.mono_origin_tai_frac));
  d.state.step_generation = x.step_generation;
  d.state.heartbeat_count = x.heartbeat_count;
  d.heartbeat_counter = x.heartbeat_counter;
  return d;
}

}  // namespace ffclock::core
