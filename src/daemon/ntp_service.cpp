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
  const core::server::ServedClock unsynchronized{};
  while (true) {
    auto r = co_await device_->read(buf);
    if (!r) continue;  // truncated (a too long request) or a failed receive: nothing to answer
    const auto view = served_view(latest_(), r->rx_counter, refid_(), precision_);
    const std::span<const uint8_t> req(reinterpret_cast<const uint8_t*>(r->payload.data()), r->payload.size());
    const UtcTime rx = view ? view->time : UtcTime{};
    auto reply = server_.on_request(req, r->peer.addr, rx, runtime::mono_to_ns(sched_.now()),
                                    view ? view->clock : unsynchronized);
    if (!reply) continue;
    if (view) {
      // Transmit time: the counter right before the send (the device reads it again for its
      // own stamp; the two are a few instructions apart).
      core::server::NtpServer::stamp_transmit(*reply, utc_at(*latest_(), sched_.counter().read()));
    }
    (void)device_->write(std::as_bytes(std::span(*reply)), r->peer);
  }
}

int8_t precision_for(uint64_t nominal_hz) {
  const double tick = nominal_hz > 0 ? 1.0 / static_cast<double>(nominal_hz) : 1e-9;
  return static_cast<int8_t>(std::floor(std::log2(std::max(tick, 30e-9))));
}

}  // namespace ffclock::daemon
