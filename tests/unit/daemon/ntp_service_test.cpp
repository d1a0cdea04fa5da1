// SPDX-License-Identifier: BSD-2-Clause
// The NTP server task on the simulated runtime: a client request gets a reply stamped from
// the latest publication (receive time at the read's counter, transmit right before the
// send), unsynchronized before any publication, and flood protection through the core.
#include "daemon/ntp_service.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "core/ntp/client_request.hpp"
#include "core/time/ntp_time.hpp"
#include "daemon/served_clock.hpp"
#include "runtime/sim/sim_backend.hpp"
#include "unit/daemon/served_publication.hpp"

using namespace ffclock;
using namespace ffclock::daemon;

namespace {

core::PageInput publication(uint64_t anchor_counter, UtcTime at) {
  return test::served_publication(anchor_counter, at);
}

TEST(ServedView, FieldsFollowThePublication) {
  const UtcTime at = UtcTime::from_unix(1'790'000'000);
  std::optional<core::PageInput> latest = publication(1'000'000'000, at);
  const auto v = served_view(latest, 1'000'000'000 + 2'000'000'000ULL, 0x7F000001, -25);
  ASSERT_TRUE(v.has_value());
  EXPECT_NEAR((v->time - (at + Duration::seconds(2))).to_seconds(), 0, 1e-9);
  EXPECT_TRUE(v->clock.synchronized);
  EXPECT_EQ(v->clock.stratum, 2);
  EXPECT_EQ(v->clock.refid, 0x7F000001u);
  EXPECT_EQ(v->clock.reference_time, at);
  // Root distance = our bound then: 100 us + 2 s at 1 ppm = 102 us.
  EXPECT_NEAR((v->clock.root_delay / 2 + v->clock.root_dispersion).to_seconds(), 102e-6, 1e-9);
  latest->unreliable = true;
  EXPECT_FALSE(served_view(latest, 1'000'000'000, 0, -25)->clock.synchronized);
  EXPECT_FALSE(served_view(std::nullopt, 0, 0, -25).has_value());
}

TEST(ServedView, LeapSecondIsAnnouncedAndApplied) {
  const int64_t leap = 1'782'864'000;
  std::optional<core::PageInput> latest = publication(0, UtcTime::from_unix(leap - 10));
  core::LeapSchedule ls;
  ls.event = LeapEvent{leap, 1, 38};
  latest->next_leap = ls;
  EXPECT_EQ(served_view(latest, 5'000'000'000ULL, 0, -25)->clock.leap, core::LeapIndicator::InsertSecond);
  // 20 s after the anchor, UTC is 9 s past midnight (the inserted second counts).
  EXPECT_NEAR((utc_at(*latest, 20'000'000'000ULL) - UtcTime::from_unix(leap + 9)).to_seconds(), 0, 1e-9);
}

TEST(PrecisionFor, NeverFinerThanAReadCosts) {
  EXPECT_EQ(precision_for(2'400'000'000), -25);  // 30 ns, not the 0.4 ns tick
  EXPECT_EQ(precision_for(1'000'000), -20);
}

}  // namespace

namespace {

using runtime::sim::SimBackend;
using runtime::sim::SimCounter;

runtime::Task<void> serve_for(runtime::Scheduler& s, NtpService& svc, runtime::Nanos d) {
  auto h = s.spawn(svc.run());
  co_await s.sleep_for(d);
  h.cancel();
}

TEST(NtpService, AnswersFromTheLatestPublicationOnTheRuntime) {
  SimBackend backend{runtime::mono_from_ns(1'000'000'000)};
  SimCounter counter{backend, 1'000'000'000, 0};  // counter = the backend's monotonic ns
  runtime::Scheduler sched{backend, counter};
  const platform::Ipv4Endpoint local = platform::Ipv4Endpoint::loopback(11124);
  const platform::Ipv4Endpoint client{0x0A000002u, 40000};
  auto dev = runtime::NetDevice::open(sched, std::move(backend.open_udp(local)).value());
  ASSERT_TRUE(dev.has_value());
  const UtcTime at = UtcTime::from_unix(1'790'000'000);
  std::optional<core::PageInput> latest = publication(1'000'000'000, at);  // anchored at the start
  NtpService svc(
      sched, std::move(dev).value(), core::server::ServerPolicy{},
      [&]() -> const std::optional<core::PageInput>& { return latest; }, [] { return 0x7F000001u; }, -25);
  const auto req = core::encode_client_request(0xABCDEF0123456789ULL, 4);
  std::vector<std::byte> bytes(req.size());
  std::memcpy(bytes.data(), req.data(), req.size());
  backend.deliver_at(runtime::mono_from_ns(1'025'000'000), client, local, bytes);
  ASSERT_TRUE(sched.run(serve_for(sched, svc, std::chrono::milliseconds(100))));
  ASSERT_EQ(backend.sent().size(), 1u);
  const runtime::sim::SimDatagram& out = backend.sent()[0];
  EXPECT_EQ(out.to, client);
  ASSERT_EQ(out.payload.size(), 48u);
  auto p = core::decode_ntp_packet(std::span(reinterpret_cast<const uint8_t*>(out.payload.data()), 48));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->header.mode, core::NtpMode::Server);
  EXPECT_EQ(p->header.origin_ts.raw, 0xABCDEF0123456789ULL);
  EXPECT_EQ(p->header.stratum, 2);
  // Received at 25 ms on the counter (1 tick per ns): the publication's time there.
  const UtcTime rx = core::from_ntp(p->header.receive_ts, at);
  EXPECT_NEAR((rx - (at + Duration::milliseconds(25))).to_seconds(), 0, 1e-6);
  const UtcTime tx = core::from_ntp(p->header.transmit_ts, at);
  EXPECT_GE(tx, rx);
  EXPECT_EQ(svc.stats().replies, 1u);
}

}  // namespace
