// SPDX-License-Identifier: BSD-2-Clause
// ffclockd's driver with the real sync engine on the simulated runtime: a simulated NTP
// server answers every request through the NTP codec, and the published clock must follow
// true time within its bound; datagrams from elsewhere never reach the engine.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/ntp/ntp_packet.hpp"
#include "core/time/ntp_time.hpp"
#include "daemon/driver.hpp"
#include "runtime/sim/sim_backend.hpp"
#include "unit/daemon/driver_sim_rig.hpp"

namespace ffclock::daemon {
namespace {

using platform::Ipv4Endpoint;
using runtime::MonoTime;
using test::true_utc;

const Ipv4Endpoint kServer{0xC0000201u, 123};

std::vector<std::byte> to_bytes(const std::array<uint8_t, core::kNtpHeaderSize>& a) {
  std::vector<std::byte> v(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) v[i] = static_cast<std::byte>(a[i]);
  return v;
}

// A stratum-1 server `offset` away from true time, 1 ms each way.
void serve(runtime::sim::SimBackend& b, const runtime::sim::SimDatagram& d, Duration offset,
           Ipv4Endpoint as) {
  if (d.to != as) return;
  std::vector<uint8_t> req(d.payload.size());
  for (std::size_t i = 0; i < req.size(); ++i) req[i] = static_cast<uint8_t>(d.payload[i]);
  auto p = core::decode_ntp_packet(req);
  if (!p || p->header.mode != core::NtpMode::Client) return;
  core::NtpPacket r;
  r.leap = core::LeapIndicator::None;
  r.mode = core::NtpMode::Server;
  r.stratum = 1;
  r.poll = p->header.poll;
  r.precision = -20;
  r.reference_id = 0x47505300;  // GPS
  const MonoTime rx = d.at + std::chrono::milliseconds(1);
  r.reference_ts = core::to_ntp(true_utc(rx) + offset - Duration::seconds(1));
  r.origin_ts = p->header.transmit_ts;
  r.receive_ts = core::to_ntp(true_utc(rx) + offset);
  r.transmit_ts = core::to_ntp(true_utc(rx) + offset + Duration::microseconds(10));
  b.deliver_at(d.at + std::chrono::microseconds(2010), as, d.from, to_bytes(core::encode_ntp_packet(r)));
}

class DriverEngineSim : public test::DriverSimRig {};

TEST_F(DriverEngineSim, FollowsASimulatedServerWithinTheBound) {
  backend.on_send([](runtime::sim::SimBackend& b, const runtime::sim::SimDatagram& d) {
    serve(b, d, Duration{}, kServer);
  });
  start("[[source]]\nmode = \"server\"\naddress = \"192.0.2.1\"\nminpoll = 0\nmaxpoll = 2\n");
  run_for(120);
  ASSERT_FALSE(publisher.published.empty()) << (log.lines.empty() ? "" : log.lines.back());
  const core::PageInput& last = publisher.published.back();
  const uint64_t c = counter.read();
  const Duration err = last.params.time_at(c) - true_utc(backend.now());
  EXPECT_LE(abs(err), last.params.maxerror_at(c));
  EXPECT_LT(abs(err), Duration::microseconds(100));
  EXPECT_LT(last.params.maxerror_at(c), Duration::milliseconds(5));
  EXPECT_GT(driver->stats().sent, 20u);
  EXPECT_EQ(driver->stats().received, driver->stats().sent);
  const auto j = nlohmann::json::parse(sources_page);
  EXPECT_EQ(j["selected"], "192.0.2.1");
  EXPECT_EQ(j["sources"][0]["state"], "selected");
  EXPECT_EQ(j["sources"][0]["address"], "192.0.2.1:123");
  EXPECT_EQ(j["sources"][0]["refid"], "GPS");
}

TEST_F(DriverEngineSim, AForgedReplyFromAnotherAddressIsDroppedBeforeTheEngine) {
  // Every request is answered twice: by the server and, 0.5 s off and earlier, by a forger
  // who copies the nonce but sends from its own address.
  const Ipv4Endpoint forger{0xC6336401u, 123};
  backend.on_send([forger](runtime::sim::SimBackend& b, const runtime::sim::SimDatagram& d) {
    serve(b, d, Duration{}, kServer);
    runtime::sim::SimDatagram fake = d;
    fake.to = forger;
    fake.at = d.at - std::chrono::microseconds(1000);
    serve(b, fake, Duration::milliseconds(500), forger);
  });
  start("[[source]]\nmode = \"server\"\naddress = \"192.0.2.1\"\nminpoll = 0\nmaxpoll = 2\n");
  run_for(60);
  EXPECT_EQ(driver->stats().foreign_dropped, driver->stats().sent);
  ASSERT_FALSE(publisher.published.empty());
  const uint64_t c = counter.read();
  const Duration err = publisher.published.back().params.time_at(c) - true_utc(backend.now());
  EXPECT_LT(abs(err), Duration::microseconds(100));
}

TEST_F(DriverEngineSim, TheSystemSourcePublishesFromTheKernelClock) {
  // The kernel clock reads true time and says it is synchronized within 2 ms.
  // Reading it takes 40 ns of virtual time (a real read is tens of ticks: never zero).
  kernel.on_realtime = [this] {
    backend.advance_to(backend.now() + std::chrono::nanoseconds(40));
    kernel.now = true_utc(backend.now());
  };
  kernel.kernel_status = {Duration::milliseconds(2), true};
  start("");
  run_for(60);
  ASSERT_FALSE(publisher.published.empty())
      << "samples " << driver->stats().system_samples << ", timer calls " << driver->stats().timer_calls
      << ", log: " << ::testing::PrintToString(log.lines);
  const core::PageInput& last = publisher.published.back();
  const uint64_t c = counter.read();
  EXPECT_LE(abs(last.params.time_at(c) - true_utc(backend.now())), last.params.maxerror_at(c));
  EXPECT_GE(last.params.maxerror_at(c), Duration::milliseconds(2));  // the kernel's own bound is in it
  EXPECT_GT(driver->stats().system_samples, 5u);
  EXPECT_EQ(nlohmann::json::parse(sources_page)["sources"][0]["name"], "system");
}

}  // namespace
}  // namespace ffclock::daemon
