// SPDX-License-Identifier: BSD-2-Clause
#include "sim/server.hpp"

#include <gtest/gtest.h>

namespace ffclock::sim {
namespace {

Scenario with(std::vector<Event> events) {
  Scenario s;
  s.client.start = UtcTime::from_unix(1'700'000'000);
  s.server.processing_s = 10e-6;
  s.events = std::move(events);
  return s;
}

Event ev(EventKind kind, double at, double duration = 0, double value = 0) {
  Event e;
  e.kind = kind;
  e.at_s = at;
  e.duration_s = duration;
  e.value = value;
  return e;
}

TEST(Server, PerfectServerStampsTrueTimeAtNtpResolution) {
  const Scenario s = with({});
  const TrueTime truth(s.client.start, s.events);
  const Server server(s, 0, truth);
  const auto r = server.answer(12.345L);
  ASSERT_TRUE(r.has_value());
  EXPECT_LE(std::abs((r->tb - truth.utc(12.345L)).to_seconds()), 2.4e-10);
  EXPECT_NEAR((r->te - r->tb).to_seconds(), 10e-6, 1e-9);
  EXPECT_EQ(r->tb.fixed() & ((int128{1} << 32) - 1), 0);  // 32 fraction bits, like NTP
  EXPECT_EQ(r->info.stratum, 1);
}

TEST(Server, StepAppliesOnlyInsideItsWindow) {
  const Scenario s = with({ev(EventKind::ServerStep, 100, 600, 1.0)});
  const TrueTime truth(s.client.start, s.events);
  const Server server(s, 0, truth);
  EXPECT_NEAR((server.answer(99)->tb - truth.utc(99)).to_seconds(), 0.0, 1e-9);
  EXPECT_NEAR((server.answer(100)->tb - truth.utc(100)).to_seconds(), 1.0, 1e-9);
  EXPECT_NEAR((server.answer(699)->tb - truth.utc(699)).to_seconds(), 1.0, 1e-9);
  EXPECT_NEAR((server.answer(700)->tb - truth.utc(700)).to_seconds(), 0.0, 1e-9);
}

TEST(Server, OutageKissOfDeathAndStratumChange) {
  Event sc = ev(EventKind::StratumChange, 5000);
  sc.stratum = 3;
  sc.refid = 0x12345678;
  const Scenario s = with({ev(EventKind::Outage, 100, 1800), ev(EventKind::KissOfDeath, 3000, 60), sc});
  const TrueTime truth(s.client.start, s.events);
  const Server server(s, 0, truth);
  EXPECT_TRUE(server.answer(99).has_value());
  EXPECT_FALSE(server.answer(100).has_value());
  EXPECT_FALSE(server.answer(1899).has_value());
  EXPECT_TRUE(server.answer(1900).has_value());
  EXPECT_EQ(server.answer(3030)->info.stratum, 0);
  EXPECT_EQ(server.answer(3030)->info.leap, core::LeapIndicator::Unsynchronized);
  EXPECT_EQ(server.answer(3061)->info.stratum, 1);
  EXPECT_EQ(server.answer(5001)->info.stratum, 3);
  EXPECT_EQ(server.answer(5001)->info.refid, 0x12345678u);
}

TEST(Server, LeapSecondIsAnnouncedThenTrueUtcRepeatsASecond) {
  Event leap = ev(EventKind::Leap, 86400, 0, 1);
  leap.announce_s = 3600;
  const Scenario s = with({leap});
  const TrueTime truth(s.client.start, s.events);
  const Server server(s, 0, truth);
  EXPECT_EQ(server.answer(80000)->info.leap, core::LeapIndicator::None);
  EXPECT_EQ(server.answer(84000)->info.leap, core::LeapIndicator::InsertSecond);
  EXPECT_EQ(server.answer(86401)->info.leap, core::LeapIndicator::None);
  EXPECT_EQ(truth.utc(86399.5L) - s.client.start, Duration::from_seconds(86399.5L));
  EXPECT_EQ(truth.utc(86400.5L) - s.client.start, Duration::from_seconds(86399.5L));
  EXPECT_EQ(truth.utc_at_second(90000), truth.utc(90000));
}

}  // namespace
}  // namespace ffclock::sim
