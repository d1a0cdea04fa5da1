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
  const core::server::ServedClock unsynchronized{};
  const auto view = served_view(latest_(), r.rx_counter, refid, precision_);
  const std::span<const uint8_t> req(reinterpret_cast<const uint8_t*>(r.payload.data()), r.payload.size());
  const UtcTime rx = view ? view->time : UtcTime{};
  auto reply = server_.on_request(req, r.peer.addr, rx, runtime::mono_to_ns(sched_.now()),
                                  view ? view->clock : unsynchronized);
  if (!reply) return;
  if (view) {
    // Transmit time: the counter right before the send (the device reads it again for its
    // own stamp; the two are a few instructions apart).
    core::server::NtpServer::stamp_transmit(*reply, utc_at(*latest_(), sched_.counter().read()));
  }
  (void)device_->write(std::as_bytes(std::span(*reply)), r.peer);
}

int8_t precision_for(uint64_t nominal_hz) {
  const double tick = nominal_hz > 0 ? 1.0 / static_cast<double>(nominal_hz) : 1e-9;
  return static_cast<int8_t>(std::floor(std::log2(std::max(tick, 30e-9))));
}

}  // namespace ffclock::daemon
