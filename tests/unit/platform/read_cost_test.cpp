// SPDX-License-Identifier: BSD-2-Clause
// Read-cost measurement: the batch summary (pure) and the loop's call count.
#include "platform/read_cost.hpp"

#include <gtest/gtest.h>
#include <time.h>

#include <vector>

using namespace ffclock::platform;

TEST(SummarizeReadCost, MedianMinMax) {
  const std::vector<double> odd{5.0, 1.0, 9.0, 3.0, 100.0};
  const ReadCost a = summarize_read_cost(odd, 10);
  EXPECT_DOUBLE_EQ(a.median_ns, 5.0);
  EXPECT_DOUBLE_EQ(a.min_ns, 1.0);
  EXPECT_DOUBLE_EQ(a.max_ns, 100.0);
  EXPECT_EQ(a.batches, 5);
  EXPECT_EQ(a.reads_per_batch, 10);

  const std::vector<double> even{4.0, 2.0, 8.0, 6.0};
  EXPECT_DOUBLE_EQ(summarize_read_cost(even, 1).median_ns, 5.0);

  const ReadCost empty = summarize_read_cost({}, 7);
  EXPECT_EQ(empty.batches, 0);
  EXPECT_DOUBLE_EQ(empty.median_ns, 0.0);
}

TEST(MeasureReadCost, CallsTheReadOncePerReadPlusAWarmUpBatch) {
  uint64_t calls = 0;
  ReadCostOptions opt;
  opt.batches = 7;
  opt.reads_per_batch = 300;
  const ReadCost c = measure_read_cost([&calls] { return ++calls; }, opt);
  EXPECT_EQ(calls, 8u * 300u);
  EXPECT_EQ(c.batches, 7);
  EXPECT_EQ(c.reads_per_batch, 300);
  EXPECT_GE(c.min_ns, 0.0);
  EXPECT_LE(c.min_ns, c.median_ns);
  EXPECT_LE(c.median_ns, c.max_ns);
}

TEST(MeasureReadCost, SlowerReadCostsMore) {
  // A read that sleeps in the kernel versus one that does almost nothing: the order must show.
  ReadCostOptions opt;
  opt.batches = 3;
  opt.reads_per_batch = 20;
  const ReadCost slow = measure_read_cost(
      [] {
        timespec ts{0, 100'000};
        nanosleep(&ts, nullptr);
        return 1;
      },
      opt);
  uint64_t x = 0;
  const ReadCost fast = measure_read_cost([&x] { return ++x; }, opt);
  EXPECT_GT(slow.median_ns, 50'000.0);
  EXPECT_LT(fast.median_ns, slow.median_ns);
}
