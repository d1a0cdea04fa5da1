// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Shared test fixture: a page in memory published by the real PageWriter with a FakeCounter,
// and a Clock reading it through the same fake counter.

#include <gtest/gtest.h>

#include <memory>

#include "core/page/page_codec.hpp"
#include "ffclock/clock.hpp"
#include "platform/counter.hpp"
#include "platform/page_writer.hpp"

namespace ffclock::testing {

// 2026-12-31T12:00:00Z (UTC), half a day before the 2027 leap used in the smear tests.
inline constexpr int64_t kNoonBeforeLeap = 1'798'675'200 - 43'200;
inline constexpr int64_t kLeapUtc = 1'798'675'200;  // 2027-01-01T00:00:00Z

struct alignas(64) PageBuffer {
  unsigned char bytes[FFCLOCK_PAGE_SIZE];
};

inline uint64_t read_fake(void* ctx) { return static_cast<platform::FakeCounter*>(ctx)->read(); }

// 1 GHz counter, synchronised at anchor counter 1e12 at UTC `t0`, TAI-UTC 37.
inline core::PageInput synced_input(uint64_t anchor_counter, UtcTime t0) {
  core::PageInput in;
  in.params.anchor_counter = anchor_counter;
  in.params.anchor_time = t0;
  in.params.period = CounterPeriod::from_seconds(1e-9L);
  in.params.local_period = CounterPeriod::from_seconds(1e-9L);
  in.params.time_esterror = Duration::microseconds(10);
  in.params.time_maxerror = Duration::microseconds(100);
  in.params.period_esterror_rel = 1e-8;
  in.params.period_maxerror_rel = 1e-6;
  in.params.status = core::SyncStatus::Synchronized;
  in.counter_id = FFCLOCK_COUNTER_X86_TSC;
  in.tai_offset_known = true;
  in.tai_minus_utc = 37;
  in.stale_after = Duration::seconds(100);
  in.void_after = Duration::seconds(1000);
  return in;
}

struct MemoryPage {
  std::unique_ptr<PageBuffer> buf = std::make_unique<PageBuffer>();
  platform::FakeCounter counter{1'000'000'000'000ull};
  platform::PageWriter writer = platform::PageWriter::over_memory(buf->bytes, sizeof buf->bytes, counter);

  Clock reader(ClockOptions options = {}) {
    options.counter = &read_fake;
    options.counter_ctx = &counter;
    if (options.host_page == nullptr) options.host_vmclock_path.clear();
    auto c = Clock::over_memory(buf->bytes, sizeof buf->bytes, options);
    EXPECT_TRUE(c.has_value());
    return std::move(c).value();
  }
};

}  // namespace ffclock::testing
