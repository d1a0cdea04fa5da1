// SPDX-License-Identifier: BSD-2-Clause
// MonotonicRawCounter: non-decreasing, nanoseconds (about 1 GHz against CLOCK_MONOTONIC).
#include "platform/monotonic_raw_counter.hpp"

#include <gtest/gtest.h>
#include <time.h>

using namespace ffclock::platform;

namespace {
int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}
}  // namespace

TEST(MonotonicRawCounter, NeverDecreases) {
  MonotonicRawCounter c;
  uint64_t prev = c.read();
  for (int i = 0; i < 100'000; ++i) {
    const uint64_t now = c.read();
    ASSERT_GE(now, prev) << "at read " << i;
    prev = now;
  }
}

TEST(MonotonicRawCounter, CountsNanosecondsAgainstClockMonotonic) {
  MonotonicRawCounter c;
  const int64_t t0 = monotonic_ns();
  const uint64_t c0 = c.read();
  timespec nap{0, 20'000'000};
  while (nanosleep(&nap, &nap) != 0) {
  }
  const uint64_t c1 = c.read();
  const int64_t t1 = monotonic_ns();
  // CLOCK_MONOTONIC may be slewed by up to 500 ppm; reads bracket loosely: 2% bounds.
  const double ratio = static_cast<double>(c1 - c0) / static_cast<double>(t1 - t0);
  EXPECT_GT(ratio, 0.98);
  EXPECT_LE(ratio, 1.0005);
  EXPECT_GE(c1 - c0, 20'000'000u * 999 / 1000);
}

TEST(MonotonicRawCounter, InfoDescribesANanosecondCounter) {
  const CounterInfo info = MonotonicRawCounter{}.info();
  EXPECT_EQ(info.name, "monotonic_raw");
  EXPECT_EQ(info.kind, CounterKind::MonotonicRaw);
  EXPECT_EQ(info.nominal_hz, 1'000'000'000u);
  EXPECT_TRUE(info.trustworthy);
}
