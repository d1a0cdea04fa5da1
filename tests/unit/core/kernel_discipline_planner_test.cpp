// SPDX-License-Identifier: BSD-2-Clause
// The kernel discipline's decisions against a simulated kernel clock: the rate is measured
// and cancelled, offsets are slewed without overshoot or stepped when provably wrong, an
// unreliable page stops the steering, and the RTC and leap flags follow the page.
#include "core/discipline/kernel_discipline_planner.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace ffclock::core::discipline {
namespace {

constexpr uint64_t kAnchorCounter = 1'000'000'000'000ull;
const UtcTime kAnchor = UtcTime::from_unix(1'790'000'000);

// A 1 GHz counter that is exactly true time: counter c is kAnchor + (c - kAnchorCounter) ns.
PageInput true_clock(SyncStatus status = SyncStatus::Synchronized,
                     Duration maxerror = Duration::microseconds(50)) {
  PageInput in;
  in.params.anchor_counter = kAnchorCounter;
  in.params.anchor_time = kAnchor;
  in.params.period = CounterPeriod::from_seconds(1e-9L);
  in.params.local_period = in.params.period;
  in.params.time_maxerror = maxerror;
  in.params.time_esterror = Duration::microseconds(5);
  in.params.period_maxerror_rel = 0;
  in.params.status = status;
  return in;
}

// CLOCK_REALTIME of a kernel whose clocksource runs `error_ppm` fast, steered by adjustments.
struct SimKernel {
  double error_ppm = 0;
  double frequency_ppm = 0;
  uint64_t counter = kAnchorCounter;
  UtcTime realtime = kAnchor;

  void advance(double seconds) {
    counter += static_cast<uint64_t>(std::llround(seconds * 1e9));
    const long double rate = (1.0L + error_ppm * 1e-6L) * (1.0L + frequency_ppm * 1e-6L);
    realtime += Duration::from_seconds(static_cast<long double>(seconds) * rate);
  }
  KernelReading read() const { return KernelReading{counter, realtime, frequency_ppm}; }
  void apply(const KernelAdjustment& a) {
    if (a.step) realtime += *a.step;
    if (a.frequency_ppm) frequency_ppm = *a.frequency_ppm;
  }
  Duration offset() const { return realtime - true_clock().params.time_at(counter); }
};

TEST(KernelDisciplinePlanner, MeasuresAndCancelsTheClocksourceRateError) {
  KernelDisciplinePlanner planner({});
  SimKernel k;
  k.error_ppm = 37.0;
  for (int i = 0; i < 40; ++i) {
    k.apply(planner.plan(true_clock(), k.read()));
    k.advance(16);
  }
  ASSERT_TRUE(planner.rate_frequency_ppm());
  // (1 + 37e-6)(1 + f) = 1: f = -36.9986 ppm.
  EXPECT_NEAR(*planner.rate_frequency_ppm(), 1e6 / (1 + 37e-6) - 1e6, 0.01);
  EXPECT_LT(abs(k.offset()), Duration::microseconds(5));
}

TEST(KernelDisciplinePlanner, SlewsASmallOffsetAwayWithoutSteppingOrOvershooting) {
  KernelDisciplinePlanner planner({});
  SimKernel k;
  k.realtime += Duration::milliseconds(2);  // below the 128 ms threshold, slewed within 500 ppm
  Duration previous = k.offset();
  // Runs on time: the first slew (before any interval is known) takes a quarter of it over
  // 16 s, every later one all that is left by the next run. A nanosecond of tolerance for
  // the rounding of the frequency.
  const Duration rounding = Duration::nanoseconds(1);
  for (int i = 0; i < 30; ++i) {
    const KernelAdjustment a = planner.plan(true_clock(), k.read());
    EXPECT_FALSE(a.step);
    k.apply(a);
    k.advance(16);
    EXPECT_GE(k.offset(), -rounding) << "overshoot at run " << i;
    EXPECT_LE(k.offset(), previous + rounding);
    if (i == 0) {
      EXPECT_NEAR(k.offset().to_seconds(), 0.0015, 1e-9);
    } else {
      EXPECT_LT(abs(k.offset()), rounding) << "run " << i;
    }
    previous = k.offset();
  }
}

// The published clock runs 0.2 ppm faster than counter x period (its offset corrections
// follow an oscillator the fitted period lags): the bias term learns it, so REALTIME keeps
// up with the page instead of trailing it by 0.2 ppm x the run interval.
TEST(KernelDisciplinePlanner, FollowsAPublishedClockThatMovesAgainstItsOwnPeriod) {
  constexpr double kBias = 0.2e-6;
  auto page_at = [](uint64_t counter) {
    PageInput in = true_clock();
    in.params.anchor_counter = counter;
    in.params.anchor_time =
        kAnchor +
        Duration::from_seconds(static_cast<long double>(counter - kAnchorCounter) * 1e-9L * (1 + kBias));
    return in;
  };
  KernelDisciplinePlanner planner({});
  SimKernel k;
  k.error_ppm = 12;
  Duration offset;
  for (int i = 0; i < 60; ++i) {
    const KernelAdjustment a = planner.plan(page_at(k.counter), k.read());
    offset = a.offset;
    k.apply(a);
    k.advance(8);
  }
  // Without the bias term the offset would settle at 0.2 ppm x 8 s = 1.6 us.
  EXPECT_LT(abs(offset), Duration::nanoseconds(50));
}

TEST(KernelDisciplinePlanner, TheFirstSlewDoesNotOvershootAtPoll6) {
  // Before any interval is known the planner cannot tell how long its slew will run.
  KernelDisciplinePlanner planner({});
  SimKernel k;
  k.realtime += Duration::milliseconds(20);
  k.apply(planner.plan(true_clock(), k.read()));
  k.advance(64);
  EXPECT_GE(k.offset(), Duration::zero());
  EXPECT_LT(k.offset(), Duration::milliseconds(20));
}

TEST(KernelDisciplinePlanner, StepsAnOffsetAboveTheThresholdAndOutsideTheBound) {
  KernelDisciplinePlanner planner({Duration::milliseconds(500), false});
  SimKernel k;
  k.realtime -= Duration::seconds(3);
  const KernelAdjustment a = planner.plan(true_clock(), k.read());
  ASSERT_TRUE(a.step);
  EXPECT_EQ(*a.step, Duration::seconds(3));
  EXPECT_EQ(a.offset, -Duration::seconds(3));
  k.apply(a);
  EXPECT_EQ(k.offset(), Duration::zero());
  // After the step the kernel's error is the published bound alone.
  EXPECT_EQ(a.maxerror, Duration::microseconds(50));
}

TEST(KernelDisciplinePlanner, DoesNotStepWhatThePublishedBoundCannotRuleOut) {
  KernelDisciplinePlanner planner({Duration::milliseconds(100), false});
  SimKernel k;
  k.realtime += Duration::milliseconds(300);
  // The published clock is only known within 1 s: the kernel may be right.
  const KernelAdjustment a = planner.plan(true_clock(SyncStatus::WarmUp, Duration::seconds(1)), k.read());
  EXPECT_FALSE(a.step);
  ASSERT_TRUE(a.frequency_ppm);
  EXPECT_LT(*a.frequency_ppm, 0);  // slewing back instead
}

TEST(KernelDisciplinePlanner, AnOffsetJustBelowTheThresholdIsSlewed) {
  KernelDisciplinePlanner planner({Duration::milliseconds(500), false});
  SimKernel k;
  k.realtime += Duration::milliseconds(499);
  const KernelAdjustment a = planner.plan(true_clock(), k.read());
  EXPECT_FALSE(a.step);
  ASSERT_TRUE(a.frequency_ppm);
  EXPECT_EQ(*a.frequency_ppm, -kMaxKernelFrequencyPpm);  // 0.499 s / 16 s is far beyond 500 ppm
  EXPECT_EQ(a.maxerror, Duration::microseconds(50) + Duration::milliseconds(499));
}

TEST(KernelDisciplinePlanner, AnUnreliablePageStopsTheSlewAndNeverSteps) {
  KernelDisciplinePlanner planner({Duration::milliseconds(100), true});
  SimKernel k;
  k.error_ppm = 10;
  for (int i = 0; i < 10; ++i) {
    k.apply(planner.plan(true_clock(), k.read()));
    k.advance(16);
  }
  const double rate = *planner.rate_frequency_ppm();
  k.realtime += Duration::seconds(5);
  PageInput disrupted = true_clock();
  disrupted.unreliable = true;
  const KernelAdjustment a = planner.plan(disrupted, k.read());
  EXPECT_FALSE(a.step);
  ASSERT_TRUE(a.frequency_ppm);
  EXPECT_EQ(*a.frequency_ppm, rate);
  EXPECT_FALSE(a.synchronized);
  EXPECT_EQ(a.maxerror, kMaxKernelError);
  // Nothing measured yet and unsynchronized: the kernel's frequency is left alone.
  KernelDisciplinePlanner fresh({});
  EXPECT_FALSE(fresh.plan(true_clock(SyncStatus::Unsynchronized), k.read()).frequency_ppm);
}

TEST(KernelDisciplinePlanner, NoRateIsMeasuredAcrossADisruption) {
  KernelDisciplinePlanner planner({});
  SimKernel k;
  k.apply(planner.plan(true_clock(), k.read()));
  k.advance(16);
  PageInput disrupted = true_clock();
  disrupted.unreliable = true;
  k.apply(planner.plan(disrupted, k.read()));
  k.realtime += Duration::milliseconds(1);  // REALTIME moved while the counter meant nothing
  k.advance(16);
  k.apply(planner.plan(true_clock(), k.read()));
  EXPECT_FALSE(planner.rate_frequency_ppm()) << "an interval spanning the disruption was measured";
}

TEST(KernelDisciplinePlanner, AShortIntervalKeepsTheFrequencyUnlessItSteps) {
  KernelDisciplinePlanner planner({});
  SimKernel k;
  k.realtime += Duration::milliseconds(10);
  k.apply(planner.plan(true_clock(), k.read()));
  k.advance(0.2);
  const KernelAdjustment again = planner.plan(true_clock(), k.read());
  EXPECT_FALSE(again.frequency_ppm);
  EXPECT_FALSE(again.step);
  k.advance(0.2);
  k.realtime += Duration::seconds(1);
  const KernelAdjustment stepped = planner.plan(true_clock(), k.read());
  EXPECT_TRUE(stepped.step);
  EXPECT_TRUE(stepped.frequency_ppm);
}

TEST(KernelDisciplinePlanner, AStepDoesNotSpoilTheRateMeasurement) {
  KernelDisciplinePlanner planner({});
  SimKernel k;
  k.error_ppm = -20;
  k.apply(planner.plan(true_clock(), k.read()));
  k.advance(16);
  k.realtime += Duration::seconds(2);
  k.apply(planner.plan(true_clock(), k.read()));  // steps
  k.advance(16);
  k.apply(planner.plan(true_clock(), k.read()));
  ASSERT_TRUE(planner.rate_frequency_ppm());
  EXPECT_NEAR(*planner.rate_frequency_ppm(), 1e6 / (1 - 20e-6) - 1e6, 0.01);
}

TEST(KernelDisciplinePlanner, ClearsUnsyncForTheRtcOnlyWhenAskedAndSynchronized) {
  SimKernel k;
  KernelDisciplinePlanner without({});
  EXPECT_FALSE(without.plan(true_clock(), k.read()).synchronized);
  KernelDisciplinePlanner with({Duration::milliseconds(128), true});
  EXPECT_TRUE(with.plan(true_clock(), k.read()).synchronized);
  EXPECT_FALSE(with.plan(true_clock(SyncStatus::Holdover), k.read()).synchronized);
}

TEST(KernelDisciplinePlanner, SetsTheLeapFlagOnTheLeapsDayOnly) {
  SimKernel k;
  KernelDisciplinePlanner planner({});
  PageInput in = true_clock();
  in.next_leap = LeapSchedule{};
  in.next_leap->event = LeapEvent{kAnchor.unix_seconds() + 3600, +1, 38};
  EXPECT_EQ(planner.plan(in, k.read()).leap, KernelLeap::Insert);
  in.next_leap->event = LeapEvent{kAnchor.unix_seconds() + 3600, -1, 36};
  EXPECT_EQ(planner.plan(in, k.read()).leap, KernelLeap::Delete);
  in.next_leap->event = LeapEvent{kAnchor.unix_seconds() + 2 * 86'400, +1, 38};
  EXPECT_EQ(planner.plan(in, k.read()).leap, KernelLeap::None);
  in.next_leap->event = LeapEvent{kAnchor.unix_seconds() - 10, +1, 38};
  EXPECT_EQ(planner.plan(in, k.read()).leap, KernelLeap::None);
}

TEST(KernelDisciplinePlanner, AnImplausibleRateIsTakenForAForeignStep) {
  KernelDisciplinePlanner planner({Duration::seconds(10), false});
  SimKernel k;
  k.apply(planner.plan(true_clock(), k.read()));
  k.advance(16);
  k.realtime += Duration::milliseconds(100);  // somebody else stepped: 6250 ppm over 16 s
  k.apply(planner.plan(true_clock(), k.read()));
  EXPECT_FALSE(planner.rate_frequency_ppm());
}

}  // namespace
}  // namespace ffclock::core::discipline
