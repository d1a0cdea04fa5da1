// SPDX-License-Identifier: BSD-2-Clause
// Page encode/decode: field mapping, round trip, validation errors, staleness counters.
#include "core/page/page_codec.hpp"

#include <gtest/gtest.h>

#include "ffclock/page_math.hpp"

using namespace ffclock;
using namespace ffclock::core;

namespace {

PageInput sample_input() {
  PageInput in;
  ClockParams& p = in.params;
  p.anchor_counter = 5'000'000'000ull;
  p.anchor_time = UtcTime::from_unix(1'798'675'200 - 3600, 0x8000000000000000ull);  // 2026-12-31T23:00:00.5Z
  p.period = CounterPeriod::from_seconds(1e-9L * (1 + 12e-6L));
  p.local_period = CounterPeriod::from_seconds(1e-9L * (1 + 13e-6L));
  p.time_esterror = Duration::microseconds(20);
  p.time_maxerror = Duration::microseconds(150);
  p.period_esterror_rel = 1e-8;
  p.period_maxerror_rel = 5e-7;
  p.status = SyncStatus::Synchronized;
  in.counter_id = FFCLOCK_COUNTER_X86_TSC;
  in.tai_offset_known = true;
  in.tai_minus_utc = 37;
  in.next_leap =
      LeapSchedule{LeapEvent{1'798'675'200, 1, 38}, SmearKind::UtcSls, standard_window(SmearKind::UtcSls)};
  in.source = {2, 0x0A000001u, Duration::milliseconds(3), Duration::microseconds(700)};
  in.disruption_marker = 77;
  in.host_disruption_marker = 1234;
  in.stale_after = Duration::seconds(100);
  in.void_after = Duration::seconds(1000);
  return in;
}

TEST(PageCodec, EncodesVmclockFields) {
  const PageInput in = sample_input();
  const EncodedPage e = encode_page(in, {}, in.params.anchor_counter + 1000);
  const ffclock_vmclock_abi& v = e.page.vmclock;
  EXPECT_EQ(v.magic, FFCLOCK_VMCLOCK_MAGIC);
  EXPECT_EQ(v.version, 1);
  EXPECT_EQ(v.size, FFCLOCK_PAGE_SIZE);
  EXPECT_EQ(v.time_type, FFCLOCK_TIME_TAI);
  EXPECT_EQ(v.counter_id, FFCLOCK_COUNTER_X86_TSC);
  EXPECT_EQ(v.clock_status, FFCLOCK_STATUS_SYNCHRONIZED);
  // TAI - UTC only in the extension: vmclock's field has no agreed sign (page_codec.cpp).
  EXPECT_EQ(v.tai_offset_sec, 0);
  EXPECT_FALSE(v.flags & FFCLOCK_FLAG_TAI_OFFSET_VALID);
  EXPECT_EQ(e.page.ext.tai_minus_utc, 37);
  EXPECT_TRUE(e.page.ext.flags & FFCLOCK_EXT_FLAG_TAI_OFFSET_VALID);
  EXPECT_EQ(e.page.ext.counter_id, FFCLOCK_COUNTER_X86_TSC);
  EXPECT_EQ(v.leap_indicator, FFCLOCK_LEAP_PRE_POS);
  EXPECT_EQ(v.leap_second_smearing_hint, FFCLOCK_SMEAR_HINT_UTC_SLS);
  EXPECT_EQ(v.disruption_marker, 77u);
  const uint64_t all_errors = FFCLOCK_FLAG_PERIOD_ESTERROR_VALID | FFCLOCK_FLAG_PERIOD_MAXERROR_VALID |
                              FFCLOCK_FLAG_TIME_ESTERROR_VALID | FFCLOCK_FLAG_TIME_MAXERROR_VALID;
  EXPECT_EQ(v.flags & all_errors, all_errors);
  // Absolute time is TAI at the anchor, with the local period.
  EXPECT_EQ(v.time_sec, static_cast<uint64_t>(1'798'675'200 - 3600 + 37));
  EXPECT_EQ(v.time_frac_sec, 0x8000000000000000ull);
  EXPECT_EQ(v.counter_value, in.params.anchor_counter);
  EXPECT_EQ(v.counter_period_frac_sec, in.params.local_period.frac);
  EXPECT_EQ(v.counter_period_shift, in.params.local_period.shift);
  EXPECT_EQ(v.time_maxerror_nanosec, 150'000u);
  EXPECT_EQ(v.time_esterror_nanosec, 20'000u);
  // maxerror rate = rel * P, rounded up
  EXPECT_NEAR(static_cast<double>(v.counter_period_maxerror_rate_frac_sec) /
                  static_cast<double>(v.counter_period_frac_sec),
              5e-7, 1e-15);
  EXPECT_EQ(e.page.ext.period_frac_sec, in.params.period.frac);
  EXPECT_EQ(e.page.ext.host_disruption_marker, 1234u);
  EXPECT_EQ(e.page.ext.heartbeat_count, 1u);
  EXPECT_EQ(e.page.ext.heartbeat_counter, in.params.anchor_counter + 1000);
}

TEST(PageCodec, StalenessCountersFollowThePeriod) {
  const PageInput in = sample_input();
  const EncodedPage e = encode_page(in, {}, in.params.anchor_counter);
  const long double p = in.params.local_period.to_seconds();
  EXPECT_NEAR(static_cast<double>(e.page.ext.stale_after_counter - in.params.anchor_counter),
              static_cast<double>(100.0L / p), 2.0);
  EXPECT_NEAR(static_cast<double>(e.page.ext.void_after_counter - in.params.anchor_counter),
              static_cast<double>(1000.0L / p), 2.0);
}

TEST(PageCodec, StalenessCountsFromTheNewestDataNotARefreshedAnchor) {
  // A holdover refresh re-anchors the line 500 s after its last stamp: the page is no fresher
  // for it, so the limits stay where the stamp put them (stale before the new anchor even).
  PageInput in = sample_input();
  const uint64_t stamp = in.params.anchor_counter;
  in.params = in.params.reanchored(stamp + 500'000'000'000ULL);
  in.data_counter = stamp;
  const EncodedPage e = encode_page(in, {}, in.params.anchor_counter);
  const long double p = in.params.local_period.to_seconds();
  EXPECT_NEAR(static_cast<double>(e.page.ext.stale_after_counter - stamp), static_cast<double>(100.0L / p),
              2.0);
  EXPECT_NEAR(static_cast<double>(e.page.ext.void_after_counter - stamp), static_cast<double>(1000.0L / p),
              2.0);
}

TEST(PageCodec, RoundTrip) {
  const PageInput in = sample_input();
  const EncodedPage e = encode_page(in, {}, in.params.anchor_counter + 1000);
  const auto d = decode_page(e.page, FFCLOCK_PAGE_SIZE);
  ASSERT_TRUE(d.has_value());
  const ClockParams& p = d->input.params;
  EXPECT_EQ(p.anchor_counter, in.params.anchor_counter);
  EXPECT_EQ(p.anchor_time, in.params.anchor_time);
  EXPECT_EQ(p.period, in.params.period);
  EXPECT_EQ(p.local_period, in.params.local_period);
  EXPECT_EQ(p.time_maxerror, in.params.time_maxerror);
  EXPECT_NEAR(p.period_maxerror_rel, in.params.period_maxerror_rel, 1e-15);
  EXPECT_EQ(p.status, SyncStatus::Synchronized);
  EXPECT_EQ(d->input.tai_minus_utc, 37);
  ASSERT_TRUE(d->input.next_leap.has_value());
  EXPECT_EQ(d->input.next_leap->event, in.next_leap->event);
  EXPECT_EQ(d->input.next_leap->smear, SmearKind::UtcSls);
  EXPECT_EQ(d->input.next_leap->window, in.next_leap->window);
  EXPECT_EQ(d->input.source.stratum, 2);
  EXPECT_EQ(d->input.source.refid, 0x0A000001u);
  EXPECT_EQ(d->input.source.root_delay, Duration::milliseconds(3));
  EXPECT_EQ(d->input.host_disruption_marker, std::optional<uint64_t>(1234));
  EXPECT_EQ(d->state.mono.anchor_counter, e.next.mono.anchor_counter);
  EXPECT_EQ(d->state.mono.base, e.next.mono.base);
  EXPECT_EQ(d->state.mono.rate, e.next.mono.rate);
  EXPECT_EQ(d->state.mono.origin, e.next.mono.origin);
  EXPECT_EQ(d->state.heartbeat_count, 1u);
}

TEST(PageCodec, StatusMapping) {
  EXPECT_EQ(to_clock_status(SyncStatus::Unsynchronized, false), FFCLOCK_STATUS_UNKNOWN);
  EXPECT_EQ(to_clock_status(SyncStatus::WarmUp, false), FFCLOCK_STATUS_INITIALIZING);
  EXPECT_EQ(to_clock_status(SyncStatus::Holdover, false), FFCLOCK_STATUS_FREERUNNING);
  EXPECT_EQ(to_clock_status(SyncStatus::Synchronized, true), FFCLOCK_STATUS_UNRELIABLE);
  for (auto s :
       {SyncStatus::Unsynchronized, SyncStatus::WarmUp, SyncStatus::Synchronized, SyncStatus::Holdover}) {
    EXPECT_EQ(from_clock_status(to_clock_status(s, false)), s);
  }
}

TEST(PageCodec, UnsynchronisedPageHasNoValidErrors) {
  PageInput in = sample_input();
  in.params.status = SyncStatus::Unsynchronized;
  in.tai_offset_known = false;
  const EncodedPage e = encode_page(in, {}, in.params.anchor_counter);
  EXPECT_EQ(e.page.vmclock.flags & FFCLOCK_FLAG_TIME_MAXERROR_VALID, 0u);
  EXPECT_EQ(e.page.vmclock.time_type, FFCLOCK_TIME_UTC);
  EXPECT_EQ(e.page.vmclock.clock_status, FFCLOCK_STATUS_UNKNOWN);
  EXPECT_EQ(e.page.ext.stale_after_counter, in.params.anchor_counter);  // stale at once
}

TEST(PageCodec, StepIncrementsGeneration) {
  PageInput in = sample_input();
  EncodedPage e = encode_page(in, {}, in.params.anchor_counter);
  EXPECT_EQ(e.next.step_generation, 0u);
  in.params.anchor_time += Duration::seconds(10);  // absolute time jumps by 10 s
  in.params.anchor_counter += 1'000'000'000;
  const EncodedPage f = encode_page(in, e.next, in.params.anchor_counter);
  EXPECT_EQ(f.next.step_generation, 1u);
  EXPECT_EQ(f.page.ext.step_generation, 1u);
  // Monotonic time did not move with the step: about 1 s elapsed.
  EXPECT_NEAR(f.next.mono.base.to_seconds(), 1.0, 1e-4);
}

TEST(PageCodec, ValidationErrors) {
  const EncodedPage e = encode_page(sample_input(), {}, 0);
  ffclock_page p = e.page;
  EXPECT_FALSE(validate_page(p, FFCLOCK_PAGE_SIZE).has_value());
  EXPECT_EQ(validate_page(p, 64), PageError::TooSmall);
  EXPECT_EQ(validate_page(p, 200), PageError::BadSize);  // size field 4096 > mapped 200
  p.vmclock.magic = 0x12345678;
  EXPECT_EQ(validate_page(p, FFCLOCK_PAGE_SIZE), PageError::BadMagic);
  p = e.page;
  p.vmclock.version = 2;
  EXPECT_EQ(validate_page(p, FFCLOCK_PAGE_SIZE), PageError::BadVersion);
  p = e.page;
  p.ext.magic = 0;
  EXPECT_EQ(validate_page(p, FFCLOCK_PAGE_SIZE), PageError::NoExtension);
  p = e.page;
  p.vmclock.size = 112;  // a plain Linux vmclock page
  EXPECT_EQ(validate_page(p, FFCLOCK_PAGE_SIZE), PageError::NoExtension);
  p = e.page;
  p.ext.version = 9;
  EXPECT_EQ(validate_page(p, FFCLOCK_PAGE_SIZE), PageError::BadExtVersion);
  EXPECT_FALSE(decode_page(p, FFCLOCK_PAGE_SIZE).has_value());
  EXPECT_STRNE(to_string(PageError::BadMagic), "");
}

// vmclock's PRE_POS/PRE_NEG mean "at the end of this month", POST_* the month after.
TEST(PageCodec, LeapIndicatorIsCalendarMonth) {
  constexpr int64_t kDec1 = 1'796'083'200;  // 2026-12-01T00:00:00Z
  constexpr int64_t kLeap = 1'798'761'600;  // 2027-01-01T00:00:00Z
  PageInput in = sample_input();
  in.next_leap->event = LeapEvent{kLeap, 1, 38};
  auto indicator_at = [&](int64_t unix_s) {
    in.params.anchor_time = UtcTime::from_unix(unix_s);
    return encode_page(in, {}, in.params.anchor_counter).page.vmclock.leap_indicator;
  };
  EXPECT_EQ(indicator_at(kDec1), FFCLOCK_LEAP_PRE_POS);
  EXPECT_EQ(indicator_at(kLeap - 1), FFCLOCK_LEAP_PRE_POS);
  EXPECT_EQ(indicator_at(kDec1 - 1), FFCLOCK_LEAP_NONE);  // November: 31 days before, not this month
  EXPECT_EQ(indicator_at(kLeap), FFCLOCK_LEAP_POST_POS);
  EXPECT_EQ(indicator_at(kLeap + 31 * 86'400 - 1), FFCLOCK_LEAP_POST_POS);  // 2027-01-31T23:59:59
  EXPECT_EQ(indicator_at(kLeap + 31 * 86'400), FFCLOCK_LEAP_NONE);          // February
  in.next_leap->event.delta = -1;
  EXPECT_EQ(indicator_at(kDec1 + 86'400), FFCLOCK_LEAP_PRE_NEG);
  EXPECT_EQ(page_math::utc_month_start(kLeap + 86'400 * 40), kLeap + 31 * 86'400);
  EXPECT_EQ(page_math::utc_month_start(951'782'400), 949'363'200);  // 2000-02-29 -> 2000-02-01
  EXPECT_EQ(page_math::utc_month_start(-1), -31 * 86'400);          // 1969-12
}

TEST(PageCodec, VmGenerationFlagFollowsTheSource) {
  PageInput in = sample_input();
  in.vm_generation = 0;
  in.vm_generation_present = true;  // a host that counts from zero
  EXPECT_TRUE(encode_page(in, {}, 1).page.vmclock.flags & FFCLOCK_FLAG_VM_GEN_COUNTER_PRESENT);
  in.vm_generation = 5;
  in.vm_generation_present = false;
  EXPECT_FALSE(encode_page(in, {}, 1).page.vmclock.flags & FFCLOCK_FLAG_VM_GEN_COUNTER_PRESENT);
  in.vm_generation_present = true;
  const auto d = decode_page(encode_page(in, {}, 1).page, FFCLOCK_PAGE_SIZE);
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->input.vm_generation_present);
  EXPECT_EQ(d->input.vm_generation, 5u);
}

// The vmclock part names only the ABI's counters; the real one is in the extension.
TEST(PageCodec, VmclockCounterIdIsAnAbiValue) {
  PageInput in = sample_input();
  in.counter_id = FFCLOCK_COUNTER_MONOTONIC_RAW;
  const EncodedPage e = encode_page(in, {}, 1);
  EXPECT_EQ(e.page.vmclock.counter_id, FFCLOCK_COUNTER_INVALID);
  EXPECT_EQ(e.page.ext.counter_id, FFCLOCK_COUNTER_MONOTONIC_RAW);
  const auto d = decode_page(e.page, FFCLOCK_PAGE_SIZE);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->input.counter_id, FFCLOCK_COUNTER_MONOTONIC_RAW);
  EXPECT_EQ(vmclock_counter_id(FFCLOCK_COUNTER_ARM_VCNT), FFCLOCK_COUNTER_ARM_VCNT);
  EXPECT_EQ(vmclock_counter_id(FFCLOCK_COUNTER_X86_TSC), FFCLOCK_COUNTER_X86_TSC);
  EXPECT_EQ(vmclock_counter_id(7), FFCLOCK_COUNTER_INVALID);
}

}  // namespace

namespace {

TEST(PageCodec, HostDisruptionFlagsArePassedThroughBothWays) {
  PageInput in = sample_input();
  EXPECT_FALSE(encode_page(in, {}, 1).page.vmclock.flags &
               (FFCLOCK_FLAG_DISRUPTION_SOON | FFCLOCK_FLAG_DISRUPTION_IMMINENT));
  in.disruption_soon = true;
  EncodedPage e = encode_page(in, {}, 1);
  EXPECT_TRUE(e.page.vmclock.flags & FFCLOCK_FLAG_DISRUPTION_SOON);
  EXPECT_FALSE(e.page.vmclock.flags & FFCLOCK_FLAG_DISRUPTION_IMMINENT);
  in.disruption_imminent = true;
  e = encode_page(in, {}, 1);
  EXPECT_TRUE(e.page.vmclock.flags & FFCLOCK_FLAG_DISRUPTION_IMMINENT);
  const auto d = decode_page(e.page, FFCLOCK_PAGE_SIZE);
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->input.disruption_soon);
  EXPECT_TRUE(d->input.disruption_imminent);
}

}  // namespace
