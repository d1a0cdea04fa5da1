// Compatibility: a page written by ffclock's writer, read by a minimal second reader that
// knows only Linux's struct vmclock_abi and follows the ptp_vmclock driver's formula.
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
};
LinuxTimespec linux_style_read(const void* mem, uint64_t counter) {
  const auto* v = static_cast<const ffclock_vmclock_abi*>(mem);
  if (__atomic_load_n(&v->magic, __ATOMIC_ACQUIRE) != 0x4b4c4356u || __atomic_load_n(&v->version, __ATOMIC_ACQUIRE) != 1) {
    return {0, 0, 0, false};
  }
  for (int tries = 0; tries < 1000; ++tries) {
    const uint32_t seq = __atomic_load_n(&v->seq_count, __ATOMIC_ACQUIRE) & ~1u;
    const uint64_t d = counter - __atomic_load_n(&v->counter_value, __ATOMIC_ACQUIRE);
    const unsigned __int128 prod = static_cast<unsigned __int128>(d) * __atomic_load_n(&v->counter_period_frac_sec, __ATOMIC_ACQUIRE);
    const unsigned __int128 r = (prod >> __atomic_load_n(&v->counter_period_shift, __ATOMIC_ACQUIRE)) +
                                __atomic_load_n(&v->time_frac_sec, __ATOMIC_ACQUIRE);
    const uint64_t sec = __atomic_load_n(&v->time_sec, __ATOMIC_ACQUIRE) + static_cast<uint64_t>(r >> 64);
    const uint64_t nsec = static_cast<uint64_t>((static_cast<unsigned __int128>(static_cast<uint64_t>(r)) * 1'000'000'000u) >> 64);
    const uint8_t type = __atomic_load_n(&v->time_type, __ATOMIC_ACQUIRE);
    if (__atomic_load_n(&v->seq_count, __ATOMIC_ACQUIRE) == seq) return {sec, nsec, type, true};
  }
  return {0, 0, 0, false};
}

TEST(Compat, LinuxFormulaAgreesWithReader) {
  MemoryPage mp;
  auto in = synced_input(mp.counter.read(), UtcTime::from_unix(1'790'000'000, 0x1234567890abcdefull));
  in.params.local_period = CounterPeriod::from_seconds(1.0L / 2'899'999'123.0L);  // a 2.9 GHz TSC
  mp.writer.publish(in);
  Clock clock = mp.reader();
  for (uint64_t step : {uint64_t{0}, uint64_t{1}, uint64_t{123'456'789}, uint64_t{77'000'000'000}}) {
    mp.counter.advance(step);
    const auto ours = clock.now();
    ASSERT_TRUE(ours.has_value());
    const LinuxTimespec theirs = linux_style_read(mp.buf->bytes, mp.counter.read());
    ASSERT_TRUE(theirs.ok);
    EXPECT_EQ(theirs.time_type, FFCLOCK_TIME_TAI);
    EXPECT_EQ(static_cast<int64_t>(theirs.sec), ours->tai.unix_seconds());
    // The driver truncates to ns; ours is exact 64.64.
    const uint64_t our_ns_floor = static_cast<uint64_t>((uint128{ours->tai.fraction()} * 1'000'000'000u) >> 64);
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
  // TAI with the offset flagged valid: the PTP clock would register.
  EXPECT_EQ(v->time_type, FFCLOCK_TIME_TAI);
  EXPECT_TRUE(v->flags & FFCLOCK_FLAG_TAI_OFFSET_VALID);
}

}  // namespace
