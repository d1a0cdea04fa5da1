// SPDX-License-Identifier: BSD-2-Clause
// The system source's sampler: REALTIME between two counter reads, the tightest of three
// tries, with the kernel's own error view.
#include "platform/system_clock_sampler.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "platform/counter.hpp"
#include "platform/kernel_clock.hpp"

namespace ffclock::platform {
namespace {

TEST(SystemClockSampler, KeepsThePairWithTheSmallestCounterGap) {
  FakeCounter counter(1000);
  FakeKernelClock kernel;
  // Each REALTIME read costs a different number of ticks; the time read differs per try.
  const std::vector<uint64_t> gaps{500, 80, 300};
  std::size_t call = 0;
  kernel.on_realtime = [&] {
    counter.advance(gaps[call]);
    kernel.now = UtcTime::from_unix(1'700'000'000) + Duration::microseconds(static_cast<int64_t>(call));
    ++call;
  };
  kernel.kernel_status = {Duration::microseconds(1500), true};
  SystemClockSampler sampler(counter, kernel);
  const auto s = sampler.sample();
  EXPECT_EQ(call, 3u);
  EXPECT_EQ(s.counter_before, 1500u);  // after the first try's 500 ticks
  EXPECT_EQ(s.counter_after, 1580u);
  EXPECT_EQ(s.realtime, UtcTime::from_unix(1'700'000'000) + Duration::microseconds(1));
  EXPECT_EQ(s.kernel_maxerror, Duration::microseconds(1500));
  EXPECT_TRUE(s.kernel_synchronized);
}

TEST(SystemClockSampler, ReportsAnUndisciplinedKernelAsSuch) {
  FakeCounter counter(0);
  FakeKernelClock kernel;
  kernel.on_realtime = [&] { counter.advance(10); };
  SystemClockSampler sampler(counter, kernel);
  const auto s = sampler.sample();
  EXPECT_EQ(s.counter_after - s.counter_before, 10u);
  EXPECT_EQ(s.kernel_maxerror, Duration::seconds(16));
  EXPECT_FALSE(s.kernel_synchronized);
}

TEST(LinuxKernelClock, ReadsRealtimeAndAStatusWithoutChangingAnything) {
  LinuxKernelClock k;
  const UtcTime a = k.realtime();
  const UtcTime b = k.realtime();
  EXPECT_GE(b, a);
  EXPECT_GT(a.unix_seconds(), 1'500'000'000);  // after 2017: a real wall clock
  const KernelTimeStatus st = k.status();
  EXPECT_GE(st.maxerror, Duration{});
}

}  // namespace
}  // namespace ffclock::platform
