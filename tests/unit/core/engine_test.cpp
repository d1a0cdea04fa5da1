// SPDX-License-Identifier: BSD-2-Clause
// The sync engine on hand-made worlds: one server, a falseticker among three, the step rule
// (a permanent and a transient server step), kiss-o'-death, spoofed and unanswered replies,
// the system source, disruption, and leap seconds both ways.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "engine_world.hpp"

using namespace ffclock;
using namespace ffclock::core;
using namespace ffclock::core::engine;
using ffclock::core::engine::test::ServerSpec;
using ffclock::core::engine::test::World;

namespace {

// 2026-06-10T00:00:00 UTC as TAI (TAI − UTC = 37).
const TaiTime kStart = to_tai(UtcTime::from_unix(1'781'049'600), 37);

ServerSpec spec(void (*set)(ServerSpec&)) {
  ServerSpec s;
  set(s);
  return s;
}

World one_server(ServerSpec s = {}) { return World({s}, EngineConfig{}, kStart); }

double max_abs_error(const World& w, double from, double to) {
  double worst = 0;
  for (double t = from; t <= to; t += 1) {
    auto e = w.error_s(t);
    EXPECT_TRUE(e.has_value()) << "nothing published by t=" << t;
    if (e) worst = std::max(worst, std::fabs(*e));
  }
  return worst;
}

bool bound_covers(const World& w, double from, double to) {
  for (double t = from; t <= to; t += 1) {
    const auto* p = w.latest_at(t);
    if (!p) return false;
    const double bound = p->input.params.maxerror_at(w.counter_at(t)).to_seconds();
    if (std::fabs(*w.error_s(t)) > bound) return false;
  }
  return true;
}

bool logged(const World& w, const std::string& needle) {
  return std::any_of(w.logs.begin(), w.logs.end(),
                     [&](const LogEvent& l) { return l.text.find(needle) != std::string::npos; });
}

TEST(SyncEngine, OneServerPublishesWithinItsBoundAfterTheBurst) {
  World w = one_server();
  w.skew_ppm = 30;
  w.start();
  w.run_until(20);  // the 8-exchange burst at 2 s spacing
  ASSERT_FALSE(w.publications.empty());
  EXPECT_LT(w.publications.front().t, 20);
  w.run_until(4000);
  EXPECT_LT(max_abs_error(w, 100, 4000), 5e-6);
  EXPECT_TRUE(bound_covers(w, 20, 4000));
  const PageInput& last = w.publications.back().input;
  EXPECT_EQ(last.params.status, SyncStatus::Synchronized);
  EXPECT_FALSE(last.unreliable);
  const SourceSnapshot s = w.engine().source(0);
  EXPECT_EQ(s.state, SourceState::Selected);
  EXPECT_EQ(s.reach, 0xFF);
  ASSERT_TRUE(s.min_rtt.has_value());
  EXPECT_NEAR(s.min_rtt->to_seconds(), 200e-6, 1e-6);
  EXPECT_EQ(w.engine().summary().selected, std::optional<std::size_t>(0));
  EXPECT_TRUE(logged(w, "selected source server0"));
}

// chronyd with a turnaround shorter than its precision (any fast server; every reply under
// clknetsim): Te before Tb in most replies. Every one of them is used, and the clock is as
// good as with a plain server. (Half were dropped once, and the first publication took 79 s.)
TEST(SyncEngine, AServerWhoseTransmitStampIsFuzzedBelowItsPrecisionLosesNoReply) {
  ServerSpec chrony_like;
  chrony_like.transmit_fuzz_s = 900e-9;
  World w = one_server(chrony_like);
  w.skew_ppm = 30;
  w.start();
  w.run_until(20);
  ASSERT_FALSE(w.publications.empty());
  EXPECT_LT(w.publications.front().t, 20);
  w.run_until(4000);
  const SourceSnapshot s = w.engine().source(0);
  EXPECT_EQ(s.rejected, 0u);
  EXPECT_EQ(s.exchanges, w.sends_per_source[0]);
  EXPECT_LT(max_abs_error(w, 100, 4000), 5e-6);
  EXPECT_TRUE(bound_covers(w, 20, 4000));
}

TEST(SyncEngine, PollsStayWithinMinpollAndMaxpoll) {
  EngineConfig cfg;
  SourceConfig s;
  s.name = "a";
  s.minpoll = 2;
  s.maxpoll = 5;
  cfg.sources = {s};
  World w({ServerSpec{}}, cfg, kStart);
  w.start();
  w.run_until(3600);
  EXPECT_EQ(w.engine().source(0).poll_log2, 5);
  // 8 burst + 8 at each of 4, 8, 16 s, then every ~32 s: far fewer than one a second.
  EXPECT_LT(w.sends_per_source[0], 8 + 8 * 3 + 3600 / 32 + 2);
  EXPECT_GT(w.sends_per_source[0], 3600 / 34);
}

TEST(SyncEngine, FalsetickerAmongThreeIsIgnored) {
  World w({ServerSpec{}, spec([](ServerSpec& s) { s.offset_s = 0.5; }), ServerSpec{}}, EngineConfig{},
          kStart);
  w.start();
  w.run_until(2000);
  EXPECT_EQ(w.engine().source(1).state, SourceState::Falseticker);
  EXPECT_EQ(w.engine().source(0).state, SourceState::Selected);
  EXPECT_EQ(w.engine().source(2).state, SourceState::Selected);
  EXPECT_LT(max_abs_error(w, 100, 2000), 10e-6);
  EXPECT_TRUE(bound_covers(w, 30, 2000));
  EXPECT_TRUE(logged(w, "server1 is a falseticker"));
  ASSERT_TRUE(w.engine().source(1).offset.has_value());
  EXPECT_NEAR(w.engine().source(1).offset->to_seconds(), 0.5, 1e-3);
}

TEST(SyncEngine, TwoAgainstOneNeverFollowsTheOne) {
  // The falseticker is right from the start while the other two agree with each other.
  World w({spec([](ServerSpec& s) { s.offset_s = -0.2; }), ServerSpec{}, ServerSpec{}}, EngineConfig{},
          kStart);
  w.start();
  w.run_until(600);
  EXPECT_EQ(w.engine().source(0).state, SourceState::Falseticker);
  EXPECT_LT(max_abs_error(w, 100, 600), 10e-6);
}

TEST(SyncEngine, PermanentServerStepReanchorsAfterTheStepout) {
  World w = one_server();
  w.start();
  w.run_until(3000);
  w.servers[0].offset_s = 1.0;  // for good
  w.run_until(3000 + 600);
  EXPECT_TRUE(w.steps.empty()) << "stepped before the stepout";
  EXPECT_LT(max_abs_error(w, 3000, 3600), 20e-6) << "the clock followed a step it should ride out";
  // Meanwhile the page does not claim a bound its only source contradicts.
  ASSERT_FALSE(w.publications.empty());
  EXPECT_TRUE(w.publications.back().input.unreliable)
      << "disputed by every source, still published as reliable";
  EXPECT_TRUE(logged(w, "every source disagrees"));
  w.run_until(3000 + 1200);
  ASSERT_EQ(w.steps.size(), 1u);
  EXPECT_EQ(w.steps[0].reason, StepReason::Reanchor);
  EXPECT_EQ(w.steps[0].generation, 1u);
  EXPECT_NEAR(w.steps[0].amount.to_seconds(), 1.0, 1e-3);
  // The step was published UNRELIABLE, with a reference step for the monotonic clock.
  const auto it = std::find_if(w.publications.begin(), w.publications.end(),
                               [](const auto& p) { return p.input.unreliable; });
  ASSERT_NE(it, w.publications.end());
  EXPECT_TRUE(std::any_of(it, w.publications.end(), [](const auto& p) { return p.input.reference_step; }));
  w.run_until(3000 + 3000);
  EXPECT_FALSE(w.publications.back().input.unreliable);
  // Now the clock follows the (only) source: 1 s ahead of truth, within the bound of its
  // server's time.
  const double err = *w.error_s(w.now());
  EXPECT_NEAR(err, 1.0, 50e-6);
  EXPECT_TRUE(logged(w, "re-anchoring"));
}

TEST(SyncEngine, TransientServerStepIsRiddenOut) {
  World w = one_server();
  w.start();
  w.run_until(3000);
  w.servers[0].offset_s = 1.0;
  w.run_until(3000 + 600);  // ten minutes, shorter than the stepout
  EXPECT_TRUE(w.publications.back().input.unreliable);
  w.servers[0].offset_s = 0;
  w.run_until(6000);
  EXPECT_TRUE(w.steps.empty());
  EXPECT_FALSE(w.publications.back().input.unreliable) << "the dispute ended with the server's fault";
  EXPECT_TRUE(logged(w, "the dispute is over"));
  EXPECT_LT(max_abs_error(w, 100, 6000), 20e-6);
  EXPECT_TRUE(bound_covers(w, 30, 6000));
}

TEST(SyncEngine, RateKissLengthensThePollAndDenyDemobilizes) {
  World w = one_server();
  w.start();
  w.run_until(200);
  const int before = w.engine().source(0).poll_log2;
  w.servers[0].kiss = "RATE";
  w.run_until(260);
  EXPECT_GT(w.engine().source(0).poll_log2, before);
  EXPECT_EQ(w.engine().source(0).kod, "RATE");
  w.servers[0].kiss = "DENY";
  w.run_until(600);
  EXPECT_EQ(w.engine().source(0).state, SourceState::Demobilized);
  const std::size_t sent = w.sends_per_source[0];
  w.run_until(5000);
  EXPECT_EQ(w.sends_per_source[0], sent) << "a demobilized source is still polled";
  EXPECT_TRUE(logged(w, "sent DENY"));
}

TEST(SyncEngine, ForgedRepliesAreIgnoredAndTheRealOneStillCounts) {
  World w = one_server(spec([](ServerSpec& s) { s.wrong_origin = true; }));
  w.start();
  w.run_until(100);
  EXPECT_TRUE(w.publications.empty());
  EXPECT_GT(w.engine().source(0).rejected, 0u);
  EXPECT_EQ(w.engine().source(0).exchanges, 0u);
  // A replayed genuine reply is refused by the matcher; a spoofed packet before the real one
  // does not cancel the request.
  std::vector<uint8_t> junk(48, 0);
  (void)w.engine().on_packet(0, junk, w.counter_at(w.now()));
  w.servers[0].wrong_origin = false;
  w.run_until(300);
  EXPECT_FALSE(w.publications.empty());
}

TEST(SyncEngine, SilentServerBecomesUnreachableAndIsReResolved) {
  World w({ServerSpec{}, spec([](ServerSpec& s) { s.answers = false; })}, EngineConfig{}, kStart);
  w.start();
  w.run_until(1000);
  EXPECT_EQ(w.engine().source(1).state, SourceState::Unreachable);
  EXPECT_EQ(w.engine().source(1).reach, 0);
  EXPECT_NE(std::find(w.resolves.begin(), w.resolves.end(), 1u), w.resolves.end());
  EXPECT_EQ(w.engine().source(0).state, SourceState::Selected);
  EXPECT_LT(max_abs_error(w, 100, 1000), 10e-6);
}

TEST(SyncEngine, ServerLostHandsOverToTheOtherWithoutAJump) {
  World w({ServerSpec{}, spec([](ServerSpec& s) { s.one_way_s = 300e-6; })}, EngineConfig{}, kStart);
  w.start();
  w.run_until(2000);
  w.servers[0].answers = false;
  w.run_until(4000);
  EXPECT_EQ(w.engine().source(0).state, SourceState::Unreachable);
  EXPECT_EQ(w.engine().summary().selected, std::optional<std::size_t>(1));
  EXPECT_LT(max_abs_error(w, 100, 4000), 10e-6);
  EXPECT_TRUE(bound_covers(w, 30, 4000));
}

TEST(SyncEngine, HoldoverRefreshesTheLinesErrorButNotItsFreshness) {
  World w = one_server();
  w.start();
  w.run_until(2000);
  // While replies come every 16 s nothing is published without one.
  for (std::size_t i = 1; i < w.publications.size(); ++i)
    if (w.publications[i].t > 100) {
      EXPECT_LE(w.publications[i].t - w.publications[i - 1].t, 40) << i;
    }
  w.servers[0].answers = false;
  w.run_until(2000 + 30);  // the reply to the poll before the silence may still be on its way
  const test::Published last = w.publications.back();
  ASSERT_FALSE(last.input.data_counter.has_value());
  w.run_until(2000 + 900);
  std::size_t refreshes = 0;
  double previous = last.t;
  const uint64_t probe = w.counter_at(2900);
  for (const test::Published& p : w.publications) {
    if (p.t <= last.t) continue;
    ++refreshes;
    EXPECT_LE(p.t - previous, 64.5);  // re-anchored at least every holdover_refresh
    previous = p.t;
    // The same line, at a later anchor; the data behind it as old as the last stamp.
    const ClockParams& q = p.input.params;
    EXPECT_GT(q.anchor_counter, last.input.params.anchor_counter);
    EXPECT_LT(std::fabs((q.time_at(probe) - last.input.params.time_at(probe)).to_seconds()), 1e-9);
    EXPECT_EQ(p.input.fresh_at(), last.input.params.anchor_counter);
    // Its 1σ grown at least as readers of the old page would have grown it.
    EXPECT_GE(q.time_esterror.to_seconds(),
              last.input.params.esterror_at(q.anchor_counter).to_seconds() - 1e-9);
  }
  EXPECT_GE(refreshes, 12u);
}

TEST(SyncEngine, DisruptionPublishesUnreliableAtOnceAndRelocks) {
  World w = one_server();
  w.start();
  w.run_until(1000);
  const std::size_t n = w.publications.size();
  w.disrupt(0);
  ASSERT_EQ(w.publications.size(), n + 1) << "no immediate publication";
  EXPECT_TRUE(w.publications.back().input.unreliable);
  ASSERT_EQ(w.steps.size(), 1u);
  EXPECT_EQ(w.steps[0].reason, StepReason::Disruption);
  w.run_until(1000 + 2.5);  // two burst exchanges: publishing again, still unreliable
  EXPECT_TRUE(w.publications.back().input.unreliable);
  EXPECT_GT(w.publications.back().t, 1000);
  w.run_until(1000 + 3 * 2 + 1);  // three burst exchanges over 4 s: re-locked
  EXPECT_FALSE(w.publications.back().input.unreliable);
  EXPECT_LT(std::fabs(*w.error_s(w.now())), 100e-6);
}

TEST(SyncEngine, SystemSourceIsFreeRunningWhenTheKernelIsNotSynchronized) {
  EngineConfig cfg;
  SourceConfig s;
  s.name = "system";
  s.mode = SourceMode::System;
  s.minpoll = 0;
  s.maxpoll = 4;
  cfg.sources = {s};
  World w({ServerSpec{}}, cfg, kStart);
  w.kernel_offset_s = 0.003;
  w.start();
  w.run_until(5);  // a burst at 0.25 s spacing
  ASSERT_FALSE(w.publications.empty());
  const PageInput& p = w.publications.back().input;
  EXPECT_EQ(p.params.status, SyncStatus::Holdover);
  EXPECT_GE(p.params.time_maxerror.to_seconds(), 16.0);
  EXPECT_EQ(p.source.refid, 0x53595300u);
  EXPECT_NEAR(*w.error_s(5), 0.003, 1e-6);  // it follows the kernel clock, errors and all
  w.kernel_synced = true;
  w.kernel_maxerror_s = 0.01;
  w.run_until(60);
  EXPECT_EQ(w.publications.back().input.params.status, SyncStatus::Synchronized);
  EXPECT_LT(w.publications.back().input.params.time_maxerror.to_seconds(), 0.011);
}

TEST(SyncEngine, SystemSourceFollowsARealtimeStepQuicklyWithoutAReferenceToRideOut) {
  EngineConfig cfg;
  SourceConfig s;
  s.name = "system";
  s.mode = SourceMode::System;
  s.minpoll = 0;
  s.maxpoll = 0;
  cfg.sources = {s};
  World w({ServerSpec{}}, cfg, kStart);
  w.start();
  w.run_until(300);
  w.kernel_offset_s = -2.0;  // someone set the clock
  w.run_until(320);
  ASSERT_EQ(w.steps.size(), 1u);
  EXPECT_EQ(w.steps[0].reason, StepReason::Reanchor);
  w.run_until(400);
  EXPECT_NEAR(*w.error_s(400), -2.0, 1e-6);
}

TEST(SyncEngine, WarmStartPublishesFromTheFirstExchangeWithinItsBound) {
  EngineConfig cfg;
  SourceConfig src;
  src.name = "a";
  src.minpoll = 0;
  src.maxpoll = 0;
  cfg.sources = {src};
  EngineConfig warm = cfg;
  // The counter runs 30 ppm fast: its true period is 1 / (1e9 (1 + 30e-6)), known to 0.1 ppm.
  warm.warm_start = WarmStart{1.0L / (1e9L * (1 + 30e-6L)), 1e-7};
  World cold_world({ServerSpec{}}, cfg, kStart);
  World warm_world({ServerSpec{}}, warm, kStart);
  for (World* w : {&cold_world, &warm_world}) {
    w->skew_ppm = 30;
    w->start();
    w->run_until(1.5);
  }
  EXPECT_TRUE(cold_world.publications.empty());
  ASSERT_FALSE(warm_world.publications.empty());
  EXPECT_LT(warm_world.publications[0].t, 0.01);  // the first reply, 200 us after the start
  EXPECT_EQ(warm_world.publications[0].input.params.status, SyncStatus::Synchronized);
  warm_world.run_until(600);
  EXPECT_TRUE(bound_covers(warm_world, 1, 600));
  EXPECT_LT(max_abs_error(warm_world, 1, 600), 20e-6);
  EXPECT_LT(warm_world.publications.front().input.params.time_maxerror.to_seconds(), 1e-3);
}

struct LeapCase {
  int8_t delta;
  bool announce_by_li;  // else by the leap table
};

class SyncEngineLeap : public ::testing::TestWithParam<LeapCase> {};

TEST_P(SyncEngineLeap, TaiIsContinuousAndUtcMovesByTheLeap) {
  const LeapCase lc = GetParam();
  // Start 2026-06-30T22:00:00Z; the leap is at 2026-07-01T00:00:00Z.
  const int64_t leap_s = 1'782'864'000;
  const TaiTime start = to_tai(UtcTime::from_unix(leap_s - 7200), 37);
  World w({ServerSpec{}, ServerSpec{}, ServerSpec{}}, EngineConfig{}, start);
  w.leap = std::make_pair(leap_s, lc.delta);
  if (lc.announce_by_li) {
    for (auto& s : w.servers) s.li = lc.delta > 0 ? LeapIndicator::InsertSecond : LeapIndicator::DeleteSecond;
  } else {
    const std::string table =
        "#$ 3913697024\n#@ 4007750400\n"  // expires 2027-01-01
        "3692217600 37\n" +
        std::to_string(leap_s + core::kNtpToUnixSeconds) + " " + std::to_string(37 + lc.delta) + "\n";
    auto t = LeapTable::parse(table, LeapParseOptions{.require_hash = false});
    ASSERT_TRUE(t.has_value());
    (void)w.engine().on_leap_table(*t, World::kCounter0);
  }
  w.start();
  w.run_until(7200 - 600);
  const PageInput& before = w.publications.back().input;
  ASSERT_TRUE(before.next_leap.has_value());
  EXPECT_EQ(before.next_leap->event.leap_utc_s, leap_s);
  EXPECT_EQ(before.next_leap->event.delta, lc.delta);
  EXPECT_EQ(before.tai_minus_utc, 37);
  w.run_until(7200 + 3600);
  for (auto& s : w.servers) s.li = LeapIndicator::None;
  w.run_until(7200 + 7200);
  // TAI never stepped and stayed accurate through the leap; no re-anchor, no falseticker.
  EXPECT_LT(max_abs_error(w, 100, 7200 + 7200), 10e-6);
  EXPECT_TRUE(bound_covers(w, 30, 7200 + 7200));
  for (const StepNotice& s : w.steps) EXPECT_EQ(s.reason, StepReason::Leap);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NE(w.engine().source(i).state, SourceState::Falseticker);
  const PageInput& after = w.publications.back().input;
  EXPECT_EQ(after.tai_minus_utc, 37 + lc.delta);
  // Published UTC after the leap is TAI − (37 + delta).
  const double t = 7200 + 7000;
  const UtcTime utc = after.params.time_at(w.counter_at(t));
  EXPECT_NEAR((utc - w.true_utc(t)).to_seconds(), 0, 10e-6);
  EXPECT_EQ(w.engine().summary().tai_offset_known, !lc.announce_by_li);
}

INSTANTIATE_TEST_SUITE_P(BothWays, SyncEngineLeap,
                         ::testing::Values(LeapCase{1, true}, LeapCase{-1, true}, LeapCase{1, false},
                                           LeapCase{-1, false}));

}  // namespace
