// SPDX-License-Identifier: BSD-2-Clause
// Seqlock torture (run under TSan): a writer publishing at a high rate with changing slope
// and occasional reference steps; reader threads assert that no read is torn and that
// monotonic() never goes back, within a thread and across threads.
#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "page_fixture.hpp"

using namespace ffclock;
using namespace ffclock::testing;

namespace {

// A shared counter that every read advances: reads are totally ordered (acq_rel RMW), like
// an ordered TSC read on one synchronized timebase.
std::atomic<uint64_t> g_counter{1'000'000'000'000ull};
uint64_t read_shared(void*) { return g_counter.fetch_add(997, std::memory_order_acq_rel); }

class SharedCounter final : public platform::Counter {
 public:
  uint64_t read() override { return read_shared(nullptr); }
  platform::CounterInfo info() const override {
    return {"shared", platform::CounterKind::Invalid, 0, true, "test"};
  }
};

// Fields the writer keeps in a fixed relation, so a torn snapshot is detectable.
uint64_t esterror_tag(uint64_t anchor_counter) { return 1000 + anchor_counter % 100'000; }

TEST(SeqlockTorture, NoTornReadsNoBackwardMonotonic) {
  auto buf = std::make_unique<PageBuffer>();
  SharedCounter counter;
  auto writer = platform::PageWriter::over_memory(buf->bytes, sizeof buf->bytes, counter);
  std::atomic<bool> stop{false};
  std::atomic<int64_t> latest_mono{INT64_MIN};  // highest monotonic value any thread saw, in ns
  std::atomic<uint64_t> reads{0}, busy{0};

  auto publish = [&](std::mt19937_64& rng, int i, UtcTime& t) {
    core::PageInput in = synced_input(g_counter.load(std::memory_order_relaxed), t);
    in.params.local_period =
        CounterPeriod::from_seconds(1e-9L * (1.0L + (static_cast<long double>(rng() % 400) - 200) * 1e-6L));
    in.params.period = in.params.local_period;
    in.params.time_esterror =
        Duration::nanoseconds(static_cast<int64_t>(esterror_tag(in.params.anchor_counter)));
    in.reference_step = i % 97 == 96;
    in.stale_after = in.void_after = Duration::seconds(1'000'000);
    writer.publish(in);
    t = t + Duration::microseconds(static_cast<int64_t>(rng() % 50)) +
        (in.reference_step ? Duration::seconds(-2) : Duration{});
  };
  std::mt19937_64 wrng(1);
  UtcTime t = UtcTime::from_unix(1'790'000'000);
  publish(wrng, 0, t);

  auto reader_body = [&](int id) {
    ClockOptions o;
    o.host_vmclock_path.clear();
    o.counter = &read_shared;
    o.spin_timeout = Duration::seconds(1);
    auto clock = Clock::over_memory(buf->bytes, sizeof buf->bytes, o);
    ASSERT_TRUE(clock.has_value());
    Duration last{};
    bool first = true;
    while (!stop.load(std::memory_order_relaxed)) {
      // Cross-thread: a value another thread saw before we start must not exceed ours.
      const int64_t seen = latest_mono.load(std::memory_order_acquire);
      const auto m = clock->monotonic();
      if (!m) {
        busy.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      const int64_t ns = m->to_nanoseconds();
      ASSERT_GE(ns, seen) << "monotonic went back across threads";
      if (!first) {
        ASSERT_GE(*m, last) << "monotonic went back in thread " << id;
      }
      first = false;
      last = *m;
      int64_t cur = latest_mono.load(std::memory_order_relaxed);
      while (cur < ns && !latest_mono.compare_exchange_weak(cur, ns, std::memory_order_acq_rel)) {
      }
      const auto snap = clock->snapshot();
      if (snap) {
        ASSERT_EQ(snap->vmclock.time_esterror_nanosec, esterror_tag(snap->vmclock.counter_value))
            << "torn read";
        ASSERT_EQ(snap->ext.mono_counter, snap->ext.heartbeat_counter) << "torn read";
      }
      const auto r = clock->read();
      if (r) {
        ASSERT_LE(r->earliest, r->utc);
        ASSERT_GE(r->latest, r->utc);
        ASSERT_EQ(r->status, ClockStatus::Synchronized);
      }
      reads.fetch_add(1, std::memory_order_relaxed);
    }
  };

  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) readers.emplace_back(reader_body, i);
  for (int i = 1; i < 20000; ++i) publish(wrng, i, t);
  stop.store(true);
  for (auto& th : readers) th.join();
  EXPECT_GT(reads.load(), 0u);
  EXPECT_GE(writer.state().step_generation, 40u);
}

}  // namespace
