// SPDX-License-Identifier: BSD-2-Clause
// Leap-second views of TAI: plain POSIX UTC across inserted/deleted seconds and the three
// smears, checked at the window boundaries against the doc's formula and figures, and swept
// for continuity, monotonicity and maximum offset from UTC.
#include "ffclock/smear.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace ffclock;

namespace {

// 2017-01-01T00:00:00Z: the end-of-2016 insertion (TAI−UTC 36 → 37).
constexpr int64_t kL = 1'483'228'800;
constexpr LeapEvent kInsert{kL, +1, 37};
// A fake deletion at the same midnight (TAI−UTC 37 → 36).
constexpr LeapEvent kDelete{kL, -1, 36};

// The TAI instant whose τ (TAI minus the pre-leap offset) is L + rel seconds (64.64).
TaiTime tai_at(const LeapEvent& ev, int128 rel_fixed) {
  const int32_t before = ev.tai_minus_utc_after - ev.delta;
  return TaiTime::from_fixed((int128{kL} + before) * kFixedOneSecond + rel_fixed);
}
TaiTime tai_at_s(const LeapEvent& ev, int64_t rel_s) { return tai_at(ev, int128{rel_s} * kFixedOneSecond); }

// A UTC value as long double seconds relative to L (exact enough near L for ns checks).
long double rel_seconds(UtcTime t) {
  return static_cast<long double>(t.fixed() - int128{kL} * kFixedOneSecond) / 18446744073709551616.0L;
}
UtcTime utc_rel(int64_t rel_s) { return UtcTime::from_unix(kL + rel_s); }

// The doc's §4.1 formula in long double, independent of the fixed-point implementation.
long double reference_smear(long double tau_rel, int delta, SmearKind kind) {
  const SmearWindow w = standard_window(kind);
  const long double ts = w.start_rel_s;
  const long double te = w.end_rel_s + delta;
  const long double u = std::clamp((tau_rel - ts) / (te - ts), 0.0L, 1.0L);
  const long double f = kind == SmearKind::Cosine ? (1.0L - std::cos(3.14159265358979323846L * u)) / 2.0L : u;
  return tau_rel - delta * f;
}

struct Case {
  SmearKind kind;
  LeapEvent ev;
};
const std::vector<Case>& all_cases() {
  static const std::vector<Case> cases = {
      {SmearKind::NoonLinear, kInsert}, {SmearKind::NoonLinear, kDelete}, {SmearKind::UtcSls, kInsert},
      {SmearKind::UtcSls, kDelete},     {SmearKind::Cosine, kInsert},     {SmearKind::Cosine, kDelete},
  };
  return cases;
}
std::string name(const Case& c) {
  return "kind=" + std::to_string(static_cast<int>(c.kind)) + " delta=" + std::to_string(c.ev.delta);
}

}  // namespace

TEST(StandardWindow, MatchesTheDocs) {
  EXPECT_EQ(standard_window(SmearKind::NoonLinear), (SmearWindow{-43200, 43200}));
  EXPECT_EQ(standard_window(SmearKind::Cosine), (SmearWindow{-43200, 43200}));
  EXPECT_EQ(standard_window(SmearKind::UtcSls), (SmearWindow{-1000, 0}));
  const SmearWindow none = standard_window(SmearKind::None);
  EXPECT_EQ(none.start_rel_s, none.end_rel_s);
}

TEST(UtcFromTai, InsertedSecondRepeatsTheLastSecond) {
  const Duration half = Duration::milliseconds(500);
  // 23:59:59.5 (TAI−UTC 36), 23:59:60.5, 00:00:00.5 (TAI−UTC 37).
  EXPECT_EQ(utc_from_tai(tai_at_s(kInsert, -1) + half, kInsert), utc_rel(-1) + half);
  EXPECT_EQ(utc_from_tai(tai_at_s(kInsert, 0), kInsert), utc_rel(-1));
  EXPECT_EQ(utc_from_tai(tai_at_s(kInsert, 0) + half, kInsert), utc_rel(-1) + half);
  EXPECT_EQ(utc_from_tai(tai_at_s(kInsert, 1), kInsert), utc_rel(0));
  EXPECT_EQ(utc_from_tai(tai_at_s(kInsert, 1) + half, kInsert), utc_rel(0) + half);
  // Far from the leap the plain offsets apply.
  const UtcTime before = utc_rel(-86400);
  EXPECT_EQ(utc_from_tai(to_tai(before, 36), kInsert), before);
  const UtcTime after = utc_rel(86400);
  EXPECT_EQ(utc_from_tai(to_tai(after, 37), kInsert), after);
}

TEST(UtcFromTai, DeletedSecondNeverAppears) {
  const Duration half = Duration::milliseconds(500);
  // 23:59:58.5 is followed one SI second later by 00:00:00.5.
  EXPECT_EQ(utc_from_tai(tai_at_s(kDelete, -2) + half, kDelete), utc_rel(-2) + half);
  EXPECT_EQ(utc_from_tai(tai_at_s(kDelete, -1) - Duration::from_fixed(1), kDelete),
            utc_rel(-1) - Duration::from_fixed(1));
  EXPECT_EQ(utc_from_tai(tai_at_s(kDelete, -1), kDelete), utc_rel(0));
  EXPECT_EQ(utc_from_tai(tai_at_s(kDelete, -1) + half, kDelete), utc_rel(0) + half);
  const UtcTime before = utc_rel(-86400);
  EXPECT_EQ(utc_from_tai(to_tai(before, 37), kDelete), before);
  const UtcTime after = utc_rel(86400);
  EXPECT_EQ(utc_from_tai(to_tai(after, 36), kDelete), after);
}

TEST(Smear, NoneIsPlainUtc) {
  for (const LeapEvent& ev : {kInsert, kDelete}) {
    for (int64_t ms = -3000; ms <= 3000; ms += 250) {
      const TaiTime t = tai_at(ev, Duration::milliseconds(ms).fixed());
      EXPECT_EQ(smeared_utc(t, ev, SmearKind::None), utc_from_tai(t, ev)) << ms;
      EXPECT_EQ(smeared_utc(t, ev, SmearKind::None, SmearWindow{-43200, 43200}), utc_from_tai(t, ev)) << ms;
    }
  }
}

TEST(Smear, NoonLinearDocFigures) {
  // Start of 23:59:60: 0.5 s behind, reads 23:59:59.500006.
  const UtcTime at_leap = smeared_utc(tai_at_s(kInsert, 0), kInsert, SmearKind::NoonLinear);
  EXPECT_EQ(at_leap.unix_seconds(), kL - 1);
  EXPECT_EQ((at_leap.subsec_nanos() + 500) / 1000, 500'006u);
  // 00:00:00.000 UTC: 0.5 s ahead, reads 00:00:00.499994.
  const UtcTime at_midnight = smeared_utc(tai_at_s(kInsert, 1), kInsert, SmearKind::NoonLinear);
  EXPECT_EQ(at_midnight.unix_seconds(), kL);
  EXPECT_EQ((at_midnight.subsec_nanos() + 500) / 1000, 499'994u);
  // Smeared midnight is reached at UTC 23:59:60.5 (AWS's description).
  EXPECT_EQ(smeared_utc(tai_at(kInsert, kFixedOneSecond / 2), kInsert, SmearKind::NoonLinear), utc_rel(0));
  // Rejoins UTC exactly at 12:00 on the next day, and starts at 12:00 on the leap day.
  EXPECT_EQ(smeared_utc(tai_at_s(kInsert, 43201), kInsert, SmearKind::NoonLinear), utc_rel(43200));
  EXPECT_EQ(smeared_utc(tai_at_s(kInsert, -43200), kInsert, SmearKind::NoonLinear), utc_rel(-43200));
  // Each smeared second is 86401/86400 SI seconds: 86400 smeared seconds take the whole window.
  const Duration smeared_day = smeared_utc(tai_at_s(kInsert, 43201), kInsert, SmearKind::NoonLinear) -
                               smeared_utc(tai_at_s(kInsert, -43200), kInsert, SmearKind::NoonLinear);
  EXPECT_EQ(smeared_day, Duration::seconds(86400));
}

TEST(Smear, UtcSlsDocFigures) {
  // 1001 UTC seconds (23:43:20 .. 23:59:60.999) map onto 1000 UTC-SLS seconds.
  EXPECT_EQ(smeared_utc(tai_at_s(kInsert, -1000), kInsert, SmearKind::UtcSls), utc_rel(-1000));
  EXPECT_EQ(smeared_utc(tai_at_s(kInsert, 1), kInsert, SmearKind::UtcSls), utc_rel(0));
  // Halfway through the 1001 s, 500 smeared seconds have passed.
  EXPECT_EQ(smeared_utc(tai_at(kInsert, -1000 * kFixedOneSecond + 1001 * kFixedOneSecond / 2), kInsert,
                        SmearKind::UtcSls),
            utc_rel(-500));
  // A deletion maps 999 onto 1000: ends at τ = L − 1, which is UTC midnight.
  EXPECT_EQ(smeared_utc(tai_at_s(kDelete, -1), kDelete, SmearKind::UtcSls), utc_rel(0));
}

// Exact UTC at and outside the window edges; the doc's formula (to 1 ns) inside.
TEST(Smear, BoundaryPoints) {
  for (const Case& c : all_cases()) {
    const SmearWindow w = standard_window(c.kind);
    const int64_t ts = w.start_rel_s;
    const int64_t te = w.end_rel_s + c.ev.delta;
    for (int64_t rel : {ts - 1, ts, te, te + 1}) {
      const TaiTime t = tai_at_s(c.ev, rel);
      EXPECT_EQ(smeared_utc(t, c.ev, c.kind), utc_from_tai(t, c.ev)) << name(c) << " rel=" << rel;
    }
    const int128 mid2 = int128{ts + te} * kFixedOneSecond / 2;
    const std::vector<int128> inside = {mid2,
                                        int128{-1} * kFixedOneSecond,
                                        0,
                                        kFixedOneSecond,
                                        int128{te - 1} * kFixedOneSecond,
                                        int128{ts + 1} * kFixedOneSecond};
    for (int128 rel : inside) {
      const long double tau_rel = static_cast<long double>(rel) / 18446744073709551616.0L;
      const long double expected = reference_smear(tau_rel, c.ev.delta, c.kind);
      const long double got = rel_seconds(smeared_utc(tai_at(c.ev, rel), c.ev, c.kind));
      EXPECT_NEAR(static_cast<double>(got), static_cast<double>(expected), 1e-9)
          << name(c) << " tau=" << static_cast<double>(tau_rel);
    }
    // The midpoint of a symmetric smear is the leap midnight itself.
    if (c.kind != SmearKind::UtcSls) {
      const UtcTime at_mid = smeared_utc(tai_at(c.ev, mid2), c.ev, c.kind);
      EXPECT_NEAR(static_cast<double>(rel_seconds(at_mid)), 0.0, 1e-9) << name(c);
    }
  }
}

TEST(Smear, LinearIsExactAtTheLeap) {
  // L−1, L, L+1 for the noon-linear smear, Δ = +1: S = τ − (τ − τs)/86401, exact to 2^-64 s.
  for (int64_t rel : {-1, 0, 1}) {
    const int128 x = int128{rel + 43200} * kFixedOneSecond;
    const int128 expected = int128{kL + rel} * kFixedOneSecond - x / 86401;
    EXPECT_EQ(smeared_utc(tai_at_s(kInsert, rel), kInsert, SmearKind::NoonLinear).fixed(), expected) << rel;
  }
  // Δ = −1: S = τ + (τ − τs)/86399, the correction floor(−x/D) rounding S up.
  for (int64_t rel : {-1, 0, 1}) {
    const int128 x = int128{rel + 43200} * kFixedOneSecond;
    const int128 expected = int128{kL + rel} * kFixedOneSecond + (x + 86398) / 86399;
    EXPECT_EQ(smeared_utc(tai_at_s(kDelete, rel), kDelete, SmearKind::NoonLinear).fixed(), expected) << rel;
  }
}

// Sweep each window (with margins) in an irregular step: S never goes backwards, never jumps
// by more than the step scaled by the fastest rate, and stays within the doc's offset bound.
TEST(Smear, MonotonicContinuousAndBounded) {
  for (const Case& c : all_cases()) {
    const SmearWindow w = standard_window(c.kind);
    const int128 from = int128{w.start_rel_s - 5} * kFixedOneSecond;
    const int128 to = int128{w.end_rel_s + 5} * kFixedOneSecond;
    const int128 step = kFixedOneSecond * 37 / 100 + 12345;  // 0.37 s, not aligned to anything
    const long double d = w.end_rel_s - w.start_rel_s + c.ev.delta;
    const long double peak_rate =
        c.kind == SmearKind::Cosine ? 3.14159265358979323846L / (2.0L * d) : 1.0L / d;
    long double bound = 0;
    switch (c.kind) {
      case SmearKind::NoonLinear:
        bound = 0.5L + 6e-6L;
        break;  // "0.5 s" (43200/86399 for Δ = −1)
      case SmearKind::UtcSls:
        bound = 1.0L;
        break;  // "~1 s just before midnight"
      case SmearKind::Cosine:
        bound = 0.5L + 1e-5L;
        break;  // "0.5 s if centred"
      case SmearKind::None:
        break;
    }
    UtcTime prev = smeared_utc(tai_at(c.ev, from), c.ev, c.kind);
    long double max_off = 0;
    for (int128 rel = from + step; rel <= to; rel += step) {
      const TaiTime t = tai_at(c.ev, rel);
      const UtcTime s = smeared_utc(t, c.ev, c.kind);
      ASSERT_GE(s, prev) << name(c);
      const long double advance =
          static_cast<long double>((s - prev).fixed()) / static_cast<long double>(step);
      ASSERT_LE(advance, 1.0L + peak_rate + 1e-12L) << name(c);
      ASSERT_GE(advance, 1.0L - peak_rate - 1e-12L) << name(c);
      const long double off =
          std::fabs(static_cast<long double>((s - utc_from_tai(t, c.ev)).fixed())) / 18446744073709551616.0L;
      max_off = std::max(max_off, off);
      prev = s;
    }
    EXPECT_LE(max_off, bound) << name(c);
    EXPECT_GT(max_off, bound - 0.01L) << name(c);  // the sweep did cover the peak
  }
}

// Around the leap and in the cosine's interpolation grid, step by tiny amounts (down to one
// 2^-64 s unit) so rounding cannot make S go backwards.
TEST(Smear, MonotonicAtFineResolution) {
  for (const Case& c : all_cases()) {
    const SmearWindow w = standard_window(c.kind);
    const int64_t te = w.end_rel_s + c.ev.delta;
    for (int64_t centre : {int64_t{-1}, int64_t{0}, int64_t{1}, int64_t{w.start_rel_s}, te,
                           int64_t{w.start_rel_s + 1}, te - 1}) {
      for (int128 step : {int128{1}, int128{1} << 20, int128{1} << 40, int128{3} << 46}) {
        const int128 start = int128{centre} * kFixedOneSecond - 2000 * step;
        UtcTime prev = smeared_utc(tai_at(c.ev, start), c.ev, c.kind);
        for (int i = 1; i <= 4000; ++i) {
          const UtcTime s = smeared_utc(tai_at(c.ev, start + i * step), c.ev, c.kind);
          ASSERT_GE(s, prev) << name(c) << " centre=" << centre << " i=" << i;
          ASSERT_LE((s - prev).fixed(), 2 * step) << name(c) << " centre=" << centre << " i=" << i;
          prev = s;
        }
      }
    }
  }
}

TEST(Smear, UtcSlsNeverAheadBeforeTheLeap) {
  for (int64_t ms = -1'001'000; ms < 0; ms += 777) {
    const TaiTime t = tai_at(kInsert, Duration::milliseconds(ms).fixed());
    EXPECT_LE(smeared_utc(t, kInsert, SmearKind::UtcSls), utc_from_tai(t, kInsert)) << ms;
  }
}

TEST(Smear, CustomWindowIsWidenedToContainTheLeap) {
  // A window ending before the leap is extended to it so S still meets UTC on both sides.
  const SmearWindow early{-2000, -1000};
  for (const LeapEvent& ev : {kInsert, kDelete}) {
    for (int64_t rel : {-3000, -2000, 10, 100}) {
      const TaiTime t = tai_at_s(ev, rel);
      EXPECT_EQ(smeared_utc(t, ev, SmearKind::NoonLinear, early), utc_from_tai(t, ev)) << rel;
    }
    UtcTime prev = smeared_utc(tai_at_s(ev, -2001), ev, SmearKind::NoonLinear, early);
    for (int64_t ms = -2000'000; ms <= 1000; ms += 250) {
      const UtcTime s =
          smeared_utc(tai_at(ev, Duration::milliseconds(ms).fixed()), ev, SmearKind::NoonLinear, early);
      ASSERT_GE(s, prev) << ms;
      prev = s;
    }
  }
}

TEST(Smear, DegenerateWindowsStepOrFreeze) {
  // A zero-length window around an insertion freezes smeared time for the inserted second.
  const SmearWindow zero{0, 0};
  EXPECT_EQ(smeared_utc(tai_at_s(kInsert, 0), kInsert, SmearKind::NoonLinear, zero), utc_rel(0));
  EXPECT_EQ(smeared_utc(tai_at(kInsert, kFixedOneSecond / 2), kInsert, SmearKind::NoonLinear, zero),
            utc_rel(0));
  EXPECT_EQ(smeared_utc(tai_at_s(kInsert, 1), kInsert, SmearKind::NoonLinear, zero), utc_rel(0));
  // For a deletion the same window has no length: plain UTC (a step).
  for (int64_t ms : {-1500, -1000, -500, 0, 500}) {
    const TaiTime t = tai_at(kDelete, Duration::milliseconds(ms).fixed());
    EXPECT_EQ(smeared_utc(t, kDelete, SmearKind::Cosine, zero), utc_from_tai(t, kDelete)) << ms;
  }
  // A cosine too short to be monotonic smears linearly instead.
  EXPECT_EQ(smeared_utc(tai_at(kInsert, kFixedOneSecond / 4), kInsert, SmearKind::Cosine, zero),
            smeared_utc(tai_at(kInsert, kFixedOneSecond / 4), kInsert, SmearKind::NoonLinear, zero));
}
