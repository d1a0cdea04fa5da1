// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/ntp_service.hpp"

#include <array>
#include <cmath>
#include <cstring>

#include "daemon/served_clock.hpp"

namespace ffclock::daemon {

NtpService::NtpService(runtime::Scheduler& sched, std::unique_ptr<runtime::NetDevice> device,
                       core::server::ServerPolicy policy, Latest latest, Refid refid, int8_t precision)
    : sched_(sched),
      device_(std::move(device)),
      server_(std::move(policy)),
      latest_(std::move(latest)),
      refid_(std::move(refid)),
      precision_(precision) {}

runtime::Task<void> NtpService::run() {
  std::array<std::byte, 512> buf{};
  for (;;) {
    auto r = co_await device_->read(buf);
    const uint32_t refid = refid_();  // once per round: it only changes with the selection
    if (r) answer(*r, refid);
    // Under load, answer what is already queued before the next scheduling round, but only
    // kDrainBatch at a time: the round's zero-timeout wait is what stamps the client side's
    // replies, so serving delays them by one batch at most.
    for (int i = 1; i < kDrainBatch; ++i) {
      auto more = device_->try_read(buf);
      if (!more) break;
      if (*more) answer(**more, refid);
    }
  }
}

void NtpService::answer(const runtime::Received& r, uint32_t refid) {
  auto reply = serve_request(server_, latest_(), refid, precision_, r.payload, r.peer.addr, r.rx_counter,
                             runtime::mono_to_ns(sched_.now()), sched_.counter());
  if (reply) (void)device_->write(std::as_bytes(std::span(*reply)), r.peer);
}

std::optional<std::array<uint8_t, core::kNtpHeaderSize>> serve_request(
    core::server::NtpServer& server, const std::optional<core::PageInput>& latest, uint32_t refid,
    int8_t precision, std::span<const std::byte> payload, uint32_t client, uint64_t rx_counter,
    int64_t mono_ns, platform::Counter& counter) {
  const core::server::ServedClock unsynchronized{};
  const auto view = served_view(latest, rx_counter, refid, precision);
  const std::span<const uint8_t> req(reinterpret_cast<const uint8_t*>(payload.data()), payload.size());
  const UtcTime rx = view ? view->time : UtcTime{};
  auto reply = server.on_request(req, client, rx, mono_ns, view ? view->clock : unsynchronized);
  if (reply && view) {
    // Transmit time: the counter right before the send (the port reads it again for its own
    // stamp; the two are a few instructions apart).
    core::server::NtpServer::stamp_transmit(*reply, utc_at(*latest, counter.read()));
  }
  return reply;
}

int8_t precision_for(uint64_t nominal_hz) {
  const double tick = nominal_hz > 0 ? 1.0 / static_cast<double>(nominal_hz) : 1e-9;
  return static_cast<int8_t>(std::floor(std::log2(std::max(tick, 30e-9))));
}

}  // namespace ffclock::daemon
