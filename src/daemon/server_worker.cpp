// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/server_worker.hpp"

#include <array>
#include <span>

#include "daemon/ntp_service.hpp"
#include "platform/monotonic_clock.hpp"
#include "platform/poll_wait.hpp"

namespace ffclock::daemon {

namespace {
// Requests answered per wake at most; the sends leave when the next batch is fetched.
constexpr int kDrain = 256;
}  // namespace

ServerWorker::ServerWorker(std::unique_ptr<runtime::linux_os::BatchUdpPort> port,
                           core::server::ServerPolicy policy, const ServedSnapshot& snapshot,
                           platform::Counter& counter, int8_t precision, platform::WakeEvent stop)
    : port_(std::move(port)),
      server_(std::move(policy)),
      snapshot_(snapshot),
      counter_(counter),
      precision_(precision),
      stop_event_(std::move(stop)) {}

ServerWorker::~ServerWorker() {
  if (thread_.joinable()) {
    stopping_.store(true, std::memory_order_release);
    stop_event_.signal();
    thread_.join();
  }
}

void ServerWorker::start() {
  const platform::StopSignalsBlocked blocked;  // inherited by the new thread
  thread_ = std::thread([this] { run(); });
}

core::server::ServerStats ServerWorker::stats() const {
  constexpr auto r = std::memory_order_relaxed;
  core::server::ServerStats s;
  s.requests = shared_.requests.load(r);
  s.replies = shared_.replies.load(r);
  s.kod_sent = shared_.kod_sent.load(r);
  s.dropped_malformed = shared_.malformed.load(r);
  s.dropped_rate_limited = shared_.rate_limited.load(r);
  s.dropped_denied = shared_.denied.load(r);
  s.dropped_mode = shared_.mode.load(r);
  return s;
}

void ServerWorker::publish_stats() {
  constexpr auto r = std::memory_order_relaxed;
  const core::server::ServerStats& s = server_.stats();
  shared_.requests.store(s.requests, r);
  shared_.replies.store(s.replies, r);
  shared_.kod_sent.store(s.kod_sent, r);
  shared_.malformed.store(s.dropped_malformed, r);
  shared_.rate_limited.store(s.dropped_rate_limited, r);
  shared_.denied.store(s.dropped_denied, r);
  shared_.mode.store(s.dropped_mode, r);
}

void ServerWorker::run() {
  std::array<std::byte, 512> buf{};
  uint64_t seen = 0;
  ServedSource source;
  const std::array<int, 2> fds{port_->wait_key(), stop_event_.fd()};
  for (;;) {
    const auto woke = platform::poll_readable(fds, -1);
    if (stopping_.load(std::memory_order_acquire)) break;
    if (!woke || woke->status != platform::PollStatus::Ready) continue;  // EINTR
    // As on the daemon thread: the first datagram surely arrived before the wait returned.
    std::optional<uint64_t> stamp = counter_.read();
    const int64_t mono_ns = platform::monotonic_now_ns();
    for (int i = 0; i < kDrain; ++i) {
      auto r = port_->try_recv(buf);
      if (!r || !*r) break;
      // Per datagram (one atomic load when nothing changed): a request that arrived after a
      // publication is answered from it, even within one drain.
      snapshot_.refresh(seen, source);
      const platform::UdpReceived& d = **r;
      const uint64_t rx = stamp ? *stamp : counter_.read();
      stamp.reset();
      if (d.truncated) continue;  // longer than any request we answer
      const std::span<const std::byte> payload = std::span<const std::byte>(buf).first(d.size);
      auto reply = serve_request(server_, source.latest, source.refid, precision_, payload, d.peer.addr, rx,
                                 mono_ns, counter_);
      if (reply) (void)port_->send(std::as_bytes(std::span(*reply)), d.peer);
    }
    port_->flush();
    publish_stats();
  }
}

}  // namespace ffclock::daemon
