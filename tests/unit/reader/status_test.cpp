// SPDX-License-Identifier: BSD-2-Clause
// Reader status: staleness (FREERUNNING, then UNKNOWN), host vmclock disruption (DISRUPTED
// at once), the published status mapping, and bounds growing at the maximum period error.
#include "page_fixture.hpp"

using namespace ffclock;
using namespace ffclock::testing;

namespace {

const UtcTime kT0 = UtcTime::from_unix(1'790'000'000);

TEST(Staleness, FreeRunningPastStaleLimitThenUnknown) {
  MemoryPage mp;
  mp.writer.publish(synced_input(mp.counter.read(), kT0));  // stale 100 s, void 1000 s
  Clock clock = mp.reader();
  mp.counter.advance(99'000'000'000ull);
  EXPECT_EQ(clock.now()->status, ClockStatus::Synchronized);
  mp.counter.advance(2'000'000'000ull);  // 101 s
  const auto stale = clock.now();
  EXPECT_EQ(stale->status, ClockStatus::FreeRunning);
  // The bound keeps growing at the maximum period error (1 ppm): 100 us + 101 us.
  EXPECT_NEAR(static_cast<double>(stale->maxerror.to_nanoseconds()), 201'000.0, 2.0);
  mp.counter.advance(898'000'000'000ull);  // 999 s
  EXPECT_EQ(clock.now()->status, ClockStatus::FreeRunning);
  mp.counter.advance(2'000'000'000ull);  // 1001 s
  const auto gone = clock.now();
  EXPECT_EQ(gone->status, ClockStatus::Unknown);
  EXPECT_NEAR(static_cast<double>(gone->maxerror.to_nanoseconds()), 1'101'000.0, 2.0);
  // A fresh publication restores the status.
  mp.writer.publish(synced_input(mp.counter.read(), kT0 + Duration::seconds(1001)));
  EXPECT_EQ(clock.now()->status, ClockStatus::Synchronized);
}

TEST(Staleness, PublishedStatusesMapThrough) {
  MemoryPage mp;
  Clock clock = mp.reader();
  auto in = synced_input(mp.counter.read(), kT0);
  const std::pair<core::SyncStatus, ClockStatus> cases[] = {
      {core::SyncStatus::WarmUp, ClockStatus::Initializing},
      {core::SyncStatus::Synchronized, ClockStatus::Synchronized},
      {core::SyncStatus::Holdover, ClockStatus::FreeRunning},
      {core::SyncStatus::Unsynchronized, ClockStatus::Unknown},
  };
  for (const auto& [published, seen] : cases) {
    in.params.status = published;
    mp.writer.publish(in);
    EXPECT_EQ(clock.now()->status, seen);
  }
  in.params.status = core::SyncStatus::Synchronized;
  in.unreliable = true;
  mp.writer.publish(in);
  EXPECT_EQ(clock.now()->status, ClockStatus::Unreliable);
  // Staleness never upgrades UNRELIABLE to FREERUNNING.
  mp.counter.advance(200'000'000'000ull);
  EXPECT_EQ(clock.now()->status, ClockStatus::Unreliable);
}

struct HostPage {
  ffclock_vmclock_abi page{};
  HostPage() {
    page.magic = FFCLOCK_VMCLOCK_MAGIC;
    page.size = 4096;
    page.version = 1;
    page.disruption_marker = 41;
  }
};

TEST(Disruption, HostMarkerMismatchIsDisruptedAtOnce) {
  MemoryPage mp;
  HostPage host;
  auto in = synced_input(mp.counter.read(), kT0);
  in.host_disruption_marker = 41;
  mp.writer.publish(in);
  ClockOptions o;
  o.host_page = &host.page;
  Clock clock = mp.reader(o);
  EXPECT_TRUE(clock.has_host_vmclock());
  EXPECT_EQ(clock.now()->status, ClockStatus::Synchronized);
  // Live migration: the host bumps its marker; the daemon has not republished yet.
  page_access::store(host.page.disruption_marker, uint64_t{42});
  EXPECT_EQ(clock.now()->status, ClockStatus::Disrupted);
  // Stale and disrupted: disruption wins.
  mp.counter.advance(2'000'000'000'000ull);
  EXPECT_EQ(clock.now()->status, ClockStatus::Disrupted);
  // The daemon recalibrates under the new marker.
  in = synced_input(mp.counter.read(), kT0 + Duration::seconds(2000));
  in.host_disruption_marker = 42;
  mp.writer.publish(in);
  EXPECT_EQ(clock.now()->status, ClockStatus::Synchronized);
}

TEST(Disruption, NoHostDeviceOrNoMarkerInPageMeansNoCheck) {
  MemoryPage mp;
  HostPage host;
  mp.writer.publish(synced_input(mp.counter.read(), kT0));  // calibrated without a host marker
  ClockOptions o;
  o.host_page = &host.page;
  Clock clock = mp.reader(o);
  page_access::store(host.page.disruption_marker, uint64_t{99});
  EXPECT_EQ(clock.now()->status, ClockStatus::Synchronized);
  // A configured device path that does not exist is tolerated (no driver in the guest).
  ClockOptions missing;
  missing.host_vmclock_path = "/nonexistent/vmclock0";
  missing.counter = &read_fake;
  missing.counter_ctx = &mp.counter;
  auto c = Clock::over_memory(mp.buf->bytes, sizeof mp.buf->bytes, missing);
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->has_host_vmclock());
  EXPECT_EQ(c->now()->status, ClockStatus::Synchronized);
}

TEST(Bounds, NoValidErrorIsUnbounded) {
  MemoryPage mp;
  auto in = synced_input(mp.counter.read(), kT0);
  in.params.status = core::SyncStatus::Unsynchronized;
  mp.writer.publish(in);
  Clock clock = mp.reader();
  const auto r = clock.now();
  EXPECT_EQ(r->maxerror, kUnbounded);
  EXPECT_EQ(r->status, ClockStatus::Unknown);
}

}  // namespace
