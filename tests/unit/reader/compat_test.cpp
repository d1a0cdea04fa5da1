// SPDX-License-Identifier: BSD-2-Clause
// Compatibility: a page written by ffclock's writer, read by a minimal second reader that
// knows only Linux's struct vmclock_abi and follows the ptp_vmclock driver's formula.
#include <optional>

#include "page_fixture.hpp"

using namespace ffclock;
using namespace ffclock::testing;

namespace {

// The driver's view: seqlock on seq_count, then
//   d = C - counter_value; r = (d * P >> shift) + time_frac_sec;
//   sec = time_sec + (r >> 64); nsec = ((u64)r * 1e9) >> 64.
struct LinuxTimespec {
  uint64_t sec;
  uint64_t nsec;
  uint8_t time_type;
  bool ok;
  uint64_t flags = 0;
  int16_t tai_offset_sec = 0;
};
LinuxTimespec linux_style_read(const void* mem, uint64_t counter) {
  const auto* v = static_cast<const ffclock_vmclock_abi*>(mem);
  if (__atomic_load_n(&v->magic, __ATOMIC_ACQUIRE) != 0x4b4c4356u ||
      __atomic_load_n(&v->version, __ATOMIC_ACQUIRE) != 1) {
    return {0, 0, 0, false};
  }
  for (int tries = 0; tries < 1000; ++tries) {
    const uint32_t seq = __atomic_load_n(&v->seq_count, __ATOMIC_ACQUIRE) & ~1u;
    const uint64_t d = counter - __atomic_load_n(&v->counter_value, __ATOMIC_ACQUIRE);
    const unsigned __int128 prod =
        static_cast<unsigned __int128>(d) * __atomic_load_n(&v->counter_period_frac_sec, __ATOMIC_ACQUIRE);
    const unsigned __int128 r = (prod >> __atomic_load_n(&v->counter_period_shift, __ATOMIC_ACQUIRE)) +
                                __atomic_load_n(&v->time_frac_sec, __ATOMIC_ACQUIRE);
    const uint64_t sec = __atomic_load_n(&v->time_sec, __ATOMIC_ACQUIRE) + static_cast<uint64_t>(r >> 64);
    const uint64_t nsec = static_cast<uint64_t>(
        (static_cast<unsigned __int128>(static_cast<uint64_t>(r)) * 1'000'000'000u) >> 64);
    const uint8_t type = __atomic_load_n(&v->time_type, __ATOMIC_ACQUIRE);
    const uint64_t flags = __atomic_load_n(&v->flags, __ATOMIC_ACQUIRE);
    const int16_t off = __atomic_load_n(&v->tai_offset_sec, __ATOMIC_ACQUIRE);
    if (__atomic_load_n(&v->seq_count, __ATOMIC_ACQUIRE) == seq) return {sec, nsec, type, true, flags, off};
  }
  return {0, 0, 0, false};
}

// The drivers' tai_adjust(): both read tai_offset_sec as UTC - TAI.
// Mainline (6.13) returns UTC: a UTC page as is, a TAI page plus the offset if it is valid.
std::optional<int64_t> mainline_utc_seconds(const LinuxTimespec& t) {
  if (t.time_type == FFCLOCK_TIME_UTC) return static_cast<int64_t>(t.sec);
  if (t.time_type == FFCLOCK_TIME_TAI && (t.flags & FFCLOCK_FLAG_TAI_OFFSET_VALID)) {
    return static_cast<int64_t>(t.sec) + t.tai_offset_sec;
  }
  return std::nullopt;  // the PTP clock is not registered
}
// The 2026 driver ("return TAI not UTC"): a TAI page as is, a UTC page minus the offset.
std::optional<int64_t> newer_tai_seconds(const LinuxTimespec& t) {
  if (t.time_type == FFCLOCK_TIME_TAI) return static_cast<int64_t>(t.sec);
  if (t.time_type == FFCLOCK_TIME_UTC && (t.flags & FFCLOCK_FLAG_TAI_OFFSET_VALID)) {
    return static_cast<int64_t>(t.sec) - t.tai_offset_sec;
  }
  return std::nullopt;
}

// Both driver generations either refuse ffclock's page or read the right time from it,
// with TAI - UTC known (a TAI page) and unknown (a UTC page).
TEST(Compat, BothDriverGenerationsReadTheRightTimeOrRefuse) {
  for (const bool offset_known : {true, false}) {
    SCOPED_TRACE(offset_known ? "TAI page" : "UTC page");
    MemoryPage mp;
    auto in = synced_input(mp.counter.read(), UtcTime::from_unix(1'790'000'000, 0x1234567890abcdefull));
    in.tai_offset_known = offset_known;
    mp.writer.publish(in);
    mp.counter.advance(123'456'789);
    const auto ours = mp.reader().read();
    ASSERT_TRUE(ours.has_value());
    const LinuxTimespec t = linux_style_read(mp.buf->bytes, mp.counter.read());
    ASSERT_TRUE(t.ok);
    const auto utc = mainline_utc_seconds(t);
    const auto tai = newer_tai_seconds(t);
    if (utc) {
      EXPECT_EQ(*utc, ours->utc.unix_seconds());
    }
    if (tai) {
      EXPECT_EQ(*tai, ours->tai.unix_seconds());
    }
    EXPECT_TRUE(utc || tai) << "neither driver can use the page";
    if (offset_known) {
      EXPECT_TRUE(tai.has_value());
      EXPECT_EQ(ours->tai_minus_utc, 37);
    } else {
      EXPECT_TRUE(utc.has_value());
    }
  }
}

TEST(Compat, LinuxFormulaAgreesWithReader) {
  MemoryPage mp;
  auto in = synced_input(mp.counter.read(), UtcTime::from_unix(1'790'000'000, 0x1234567890abcdefull));
  in.params.local_period = CounterPeriod::from_seconds(1.0L / 2'899'999'123.0L);  // a 2.9 GHz TSC
  mp.writer.publish(in);
  Clock clock = mp.reader();
  for (uint64_t step : {uint64_t{0}, uint64_t{1}, uint64_t{123'456'789}, uint64_t{77'000'000'000}}) {
    mp.counter.advance(step);
    const auto ours = clock.read();
    ASSERT_TRUE(ours.has_value());
    const LinuxTimespec theirs = linux_style_read(mp.buf->bytes, mp.counter.read());
    ASSERT_TRUE(theirs.ok);
    EXPECT_EQ(theirs.time_type, FFCLOCK_TIME_TAI);
    EXPECT_EQ(static_cast<int64_t>(theirs.sec), ours->tai.unix_seconds());
    // The driver truncates to ns; ours is exact 64.64.
    const uint64_t our_ns_floor =
        static_cast<uint64_t>((uint128{ours->tai.fraction()} * 1'000'000'000u) >> 64);
    EXPECT_EQ(theirs.nsec, our_ns_floor);
  }
}

TEST(Compat, PageHeaderIsWhatTheDriverProbes) {
  MemoryPage mp;
  mp.writer.publish(synced_input(mp.counter.read(), UtcTime::from_unix(1'790'000'000)));
  const auto* v = reinterpret_cast<const ffclock_vmclock_abi*>(mp.buf->bytes);
  EXPECT_EQ(v->magic, 0x4b4c4356u);
  EXPECT_GE(v->size, 4096u);  // the driver exposes /dev/vmclockN only for a full page
  EXPECT_EQ(v->version, 1);
  EXPECT_EQ(v->seq_count % 2, 0u);
  // TAI with vmclock's offset flag clear (the offset is in the extension): the 2026 driver
  // registers a TAI clock, mainline refuses the page rather than read it 74 s off.
  EXPECT_EQ(v->time_type, FFCLOCK_TIME_TAI);
  EXPECT_FALSE(v->flags & FFCLOCK_FLAG_TAI_OFFSET_VALID);
  EXPECT_EQ(v->counter_id, FFCLOCK_COUNTER_X86_TSC);
}

}  // namespace
