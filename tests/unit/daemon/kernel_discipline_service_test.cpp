// SPDX-License-Identifier: BSD-2-Clause
// The kernel discipline as ffclockd runs it, against FakeKernelClockDiscipline: what reaches
// the kernel on a publication, a tick and a step, and that failures are logged once. No test here
// touches the host's clock.
#include "daemon/kernel_discipline_service.hpp"

#include <gtest/gtest.h>

#include "daemon/log_sink.hpp"
#include "daemon/notifying_publisher.hpp"
#include "daemon/page_publisher.hpp"

namespace ffclock::daemon {
namespace {

constexpr uint64_t kAnchorCounter = 5'000'000'000ull;
const UtcTime kAnchor = UtcTime::from_unix(1'790'000'000);

core::PageInput published() {
  core::PageInput in;
  in.params.anchor_counter = kAnchorCounter;
  in.params.anchor_time = kAnchor;
  in.params.period = CounterPeriod::from_seconds(1e-9L);
  in.params.local_period = in.params.period;
  in.params.time_maxerror = Duration::microseconds(100);
  in.params.time_esterror = Duration::microseconds(10);
  in.params.status = core::SyncStatus::Synchronized;
  return in;
}

struct Rig {
  platform::FakeCounter counter{kAnchorCounter};
  platform::FakeKernelClock clock;
  platform::FakeKernelClockDiscipline kernel;
  MemoryLog log;
  KernelDisciplineService service{counter, clock, kernel, log, {Duration::milliseconds(500), true}};

  Rig() {
    // Each REALTIME read costs 100 counter ticks (the counter is read before and after it).
    clock.on_realtime = [this] { counter.advance(100); };
    clock.now = kAnchor;
  }
};

TEST(KernelDisciplineService, APublicationSetsFrequencyErrorsAndStatusWithoutAStep) {
  Rig r;
  r.kernel.frequency = 12.5;
  r.clock.now = kAnchor + Duration::nanoseconds(50) + Duration::milliseconds(2);
  r.service.on_publication(published());
  EXPECT_TRUE(r.kernel.steps.empty());
  ASSERT_EQ(r.kernel.settings.size(), 1u);
  const platform::KernelSettings& s = r.kernel.settings[0];
  ASSERT_TRUE(s.set_frequency);
  // The read sat between counter + 0 and counter + 100: REALTIME is 2 ms ahead, slewed back.
  EXPECT_LT(s.frequency_ppm, 12.5);
  EXPECT_EQ(r.service.last()->offset, Duration::milliseconds(2));
  EXPECT_EQ(s.maxerror, Duration::microseconds(100) + Duration::milliseconds(2));
  EXPECT_TRUE(s.synchronized);
  EXPECT_EQ(r.service.steps(), 0u);
}

TEST(KernelDisciplineService, AFarOffKernelClockIsSteppedAndLogged) {
  Rig r;
  r.clock.now = kAnchor + Duration::nanoseconds(50) - Duration::seconds(7);
  r.service.on_publication(published());
  ASSERT_EQ(r.kernel.steps.size(), 1u);
  EXPECT_EQ(r.kernel.steps[0], Duration::seconds(7));
  EXPECT_TRUE(r.log.contains("kernel clock stepped by +7.000000000 s"));
  EXPECT_EQ(r.kernel.settings.size(), 1u);
}

TEST(KernelDisciplineService, RunsOnTheFirstPublicationThroughThePublisherAndOnEveryStep) {
  Rig r;
  RecordingPublisher page;
  NotifyingPublisher tap(page);
  tap.add_listener([&r, &page](const core::PageInput& in) {
    EXPECT_EQ(page.published.size(), 1u) << "the listener ran before the page held the publication";
    r.service.on_publication(in);
  });
  r.service.on_step(core::engine::StepNotice{});  // nothing published yet: nothing to follow
  EXPECT_TRUE(r.kernel.settings.empty());

  r.clock.now = kAnchor + Duration::nanoseconds(50);
  tap.publish(published());
  ASSERT_EQ(r.kernel.settings.size(), 1u);
  EXPECT_TRUE(r.kernel.steps.empty());

  // A step notice re-runs at once on the latest publication: the kernel is 3 s behind now
  // (REALTIME is read at counter + 150).
  r.clock.now = kAnchor + Duration::nanoseconds(150) - Duration::seconds(3);
  r.service.on_step(core::engine::StepNotice{core::engine::StepReason::Reanchor, 1, Duration::seconds(3)});
  ASSERT_EQ(r.kernel.steps.size(), 1u);
  EXPECT_EQ(r.kernel.steps[0], Duration::seconds(3));
  EXPECT_EQ(r.service.runs(), 2u);
}

TEST(KernelDisciplineService, AFailingKernelIsLoggedOnceAndRecoveryToo) {
  Rig r;
  r.kernel.fail = true;
  r.service.on_publication(published());
  r.service.on_tick();
  int warnings = 0;
  for (const auto& l : r.log.lines) warnings += l.find("kernel clock: adjtimex") != std::string::npos;
  EXPECT_EQ(warnings, 1);
  r.kernel.fail = false;
  r.service.on_tick();
  EXPECT_TRUE(r.log.contains("adjustments work again"));
  EXPECT_EQ(r.kernel.settings.size(), 1u);
}

// A slew lasts until the next run, so runs come from the timer, not from publications
// (which pause for minutes when the estimator drops poor exchanges); a change between a
// usable and an unusable page cannot wait for the timer.
TEST(KernelDisciplineService, AfterTheFirstPublicationRunsComeFromTheTickOrAChangeOfUsability) {
  Rig r;
  r.clock.now = kAnchor + Duration::nanoseconds(50) + Duration::milliseconds(1);
  r.service.on_tick();  // nothing published yet: nothing to follow
  EXPECT_EQ(r.service.runs(), 0u);
  r.service.on_publication(published());
  EXPECT_EQ(r.service.runs(), 1u);
  r.service.on_publication(published());
  EXPECT_EQ(r.service.runs(), 1u);
  r.counter.advance(8'000'000'000);  // a tick later: the interval is measured, a new frequency set
  r.clock.now = r.clock.now + Duration::seconds(8);
  r.service.on_tick();
  EXPECT_EQ(r.service.runs(), 2u);
  ASSERT_EQ(r.kernel.settings.size(), 2u);
  EXPECT_TRUE(r.kernel.settings[1].set_frequency);

  core::PageInput disrupted = published();
  disrupted.unreliable = true;
  r.service.on_publication(disrupted);
  EXPECT_EQ(r.service.runs(), 3u);
  EXPECT_EQ(r.kernel.settings.back().maxerror, core::discipline::kMaxKernelError);
  r.service.on_publication(disrupted);
  EXPECT_EQ(r.service.runs(), 3u);
  r.service.on_publication(published());
  EXPECT_EQ(r.service.runs(), 4u);
  EXPECT_LT(r.kernel.settings.back().maxerror, core::discipline::kMaxKernelError);
}

TEST(KernelDisciplineService, AnUnreliablePageMarksTheKernelUnsynchronized) {
  Rig r;
  r.clock.now = kAnchor + Duration::seconds(30);
  core::PageInput in = published();
  in.unreliable = true;
  r.service.on_publication(in);
  EXPECT_TRUE(r.kernel.steps.empty());
  ASSERT_EQ(r.kernel.settings.size(), 1u);
  EXPECT_FALSE(r.kernel.settings[0].synchronized);
  EXPECT_FALSE(r.kernel.settings[0].set_frequency);
}

}  // namespace
}  // namespace ffclock::daemon
