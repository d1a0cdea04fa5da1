// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Leap-second views of TAI for the header-only reader: plain POSIX UTC across a scheduled
// leap, and smeared UTC (Google/AWS noon-to-noon linear, UTC-SLS, cosine).
//
// Everything is a pure function of (TAI instant, leap event, smear kind), computed in the
// continuous τ domain (TAI minus the pre-leap TAI−UTC offset: POSIX time as if no leap
// happened), so the published page never changes at the leap and the reader has no
// discontinuity to handle. A smear is S(τ) = τ − Δ·f(u), u = clamp((τ − τs)/(τe − τs), 0, 1),
// where the τ window [τs, τe] includes the leap itself (τe − τs = nominal length + Δ).
// Linear smears are exact integer math on the 64.64 fixed-point value; the cosine uses
// double only for the bounded correction (< 1 s), interpolated so S stays monotonic.

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "ffclock/time.hpp"

namespace ffclock {

enum class SmearKind : uint8_t { None = 0, NoonLinear = 1, UtcSls = 2, Cosine = 3 };

// A scheduled leap: at POSIX time leap_utc_s (the midnight at which the new offset applies),
// TAI−UTC changes by delta (+1 insert, −1 delete) to tai_minus_utc_after.
struct LeapEvent {
  int64_t leap_utc_s;
  int8_t delta;
  int32_t tai_minus_utc_after;

  friend constexpr bool operator==(const LeapEvent&, const LeapEvent&) = default;
};

// Window of a smear, in seconds relative to the leap L (τ domain; the end is stretched by Δ
// so that it lands on the same UTC instant): NoonLinear and Cosine [−43200, +43200] (noon to
// noon), UtcSls [−1000, 0] (23:43:20 to midnight). None: empty.
struct SmearWindow {
  int32_t start_rel_s;
  int32_t end_rel_s;

  friend constexpr bool operator==(const SmearWindow&, const SmearWindow&) = default;
};

constexpr SmearWindow standard_window(SmearKind kind) {
  switch (kind) {
    case SmearKind::NoonLinear:
    case SmearKind::Cosine:
      return {-43'200, 43'200};
    case SmearKind::UtcSls:
      return {-1'000, 0};
    case SmearKind::None:
      break;
  }
  return {0, 0};
}

namespace smear_detail {

// TAI−UTC before the event.
constexpr int32_t offset_before(const LeapEvent& ev) { return ev.tai_minus_utc_after - ev.delta; }

// τ (64.64) of a TAI instant: TAI minus the pre-leap offset.
constexpr int128 tau_of(TaiTime tai, const LeapEvent& ev) {
  return tai.fixed() - int128{offset_before(ev)} * kFixedOneSecond;
}

// τ from which POSIX UTC uses the new offset: L for an insertion (23:59:60 then reads as a
// repeat of 23:59:59), L + Δ for a deletion (UTC jumps from 23:59:59−|Δ| to 00:00:00).
constexpr int128 tau_switch(const LeapEvent& ev) {
  return (int128{ev.leap_utc_s} + std::min<int64_t>(ev.delta, 0)) * kFixedOneSecond;
}

// The τ window actually used: widened if needed so it contains the leap (otherwise S could
// not equal UTC on both sides), as [start, start + length) seconds relative to L.
struct TauWindow {
  int64_t start_rel_s;
  int64_t length_s;  // τe − τs = nominal length + Δ; <= 0 means "step, no smear"
};
constexpr TauWindow tau_window(SmearWindow w, int8_t delta) {
  const int64_t start = std::min<int64_t>(w.start_rel_s, std::min<int64_t>(delta, 0));
  const int64_t end = std::max<int64_t>(w.end_rel_s, 0);
  return {start, end - start + delta};
}

// Δ·f(u) for the linear smear, with x = τ − τs in (0, D·2^64): floor(Δ·x / D).
// |x·Δ| < 2^64·2^32·2^7, so the product cannot overflow.
constexpr int128 linear_correction(int128 x, int64_t length_s, int8_t delta) {
  return detail::floor_div(x * delta, length_s);
}

// f(u) = (1 − cos πu)/2 = sin²(πu/2) in 64.64, exact at u = 0 and u = 1.
inline int128 cosine_f_fixed(double u) {
  if (u <= 0.0) return 0;
  if (u >= 1.0) return kFixedOneSecond;
  const double s = std::sin(u * 1.5707963267948966);
  return static_cast<int128>(s * s * 18446744073709551616.0);
}

// Δ·f(u) for the cosine smear. f is evaluated on a grid of 2^-16 s in τ and interpolated
// linearly in integers: libm's sin need not be monotonic at the ulp level, but the grid
// steps of S are 2^-16·(1 − πΔ/2D) s, far above any rounding error, and the interpolation
// error is below 1e-12 s for windows of 1000 s or more.
inline int128 cosine_correction(int128 x, int64_t length_s, int8_t delta) {
  constexpr int kGridShift = 48;  // 2^-16 s
  constexpr int128 kGridMask = (int128{1} << kGridShift) - 1;
  const int128 k = x >> kGridShift;
  const int128 r = x & kGridMask;
  const double steps = static_cast<double>(length_s) * 65536.0;
  const int128 f0 = cosine_f_fixed(static_cast<double>(k) / steps);
  const int128 f1 = cosine_f_fixed(static_cast<double>(k + 1) / steps);
  const int128 f = f0 + detail::floor_div((f1 - f0) * r, int128{1} << kGridShift);
  return f * delta;
}

}  // namespace smear_detail

// Unsmeared POSIX UTC at a TAI instant, given the event (before the event the offset is
// tai_minus_utc_after − delta). During an inserted second 23:59:60 the POSIX value repeats
// the last second; a deleted second never appears.
constexpr UtcTime utc_from_tai(TaiTime tai, const LeapEvent& ev) {
  const int128 tau = smear_detail::tau_of(tai, ev);
  if (tau >= smear_detail::tau_switch(ev))
    return UtcTime::from_fixed(tau - int128{ev.delta} * kFixedOneSecond);
  return UtcTime::from_fixed(tau);
}

// Smeared UTC at a TAI instant: S(τ) = τ − Δ·f(u), continuous and non-decreasing, equal to
// UTC outside the window; None (or a window too short to smear) returns utc_from_tai. A
// window that does not contain the leap is widened to contain it. The cosine needs a τ window
// of at least 2·|Δ| s to stay monotonic (its peak rate is πΔ/2D); shorter ones smear linearly.
inline UtcTime smeared_utc(TaiTime tai, const LeapEvent& ev, SmearKind kind, SmearWindow window) {
  if (kind == SmearKind::None || ev.delta == 0) return utc_from_tai(tai, ev);
  const smear_detail::TauWindow w = smear_detail::tau_window(window, ev.delta);
  if (w.length_s <= 0) return utc_from_tai(tai, ev);

  const int128 tau = smear_detail::tau_of(tai, ev);
  const int128 x = tau - (int128{ev.leap_utc_s} + w.start_rel_s) * kFixedOneSecond;
  const int128 span = int128{w.length_s} * kFixedOneSecond;
  if (x <= 0) return UtcTime::from_fixed(tau);
  if (x >= span) return UtcTime::from_fixed(tau - int128{ev.delta} * kFixedOneSecond);

  const int64_t abs_delta = ev.delta < 0 ? -int64_t{ev.delta} : int64_t{ev.delta};
  const bool cosine = kind == SmearKind::Cosine && w.length_s >= 2 * abs_delta;
  const int128 correction = cosine ? smear_detail::cosine_correction(x, w.length_s, ev.delta)
                                   : smear_detail::linear_correction(x, w.length_s, ev.delta);
  return UtcTime::from_fixed(tau - correction);
}

inline UtcTime smeared_utc(TaiTime tai, const LeapEvent& ev, SmearKind kind) {
  return smeared_utc(tai, ev, kind, standard_window(kind));
}

}  // namespace ffclock
