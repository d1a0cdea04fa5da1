// SPDX-License-Identifier: BSD-2-Clause
#include "runtime/sim/sim_backend.hpp"

#include <algorithm>
#include <cstring>

namespace ffclock::runtime::sim {

class SimPort final : public DatagramPort {
 public:
  SimPort(SimBackend& b, int key, platform::Ipv4Endpoint local) : backend_(b), key_(key), local_(local) {}
  ~SimPort() override { backend_.ports_.erase(key_); }

  int wait_key() const override { return key_; }
  platform::Ipv4Endpoint local() const override { return local_; }

  core::Result<std::optional<platform::UdpReceived>, NetError> try_recv(
      std::span<std::byte> buffer) override {
    SimBackend::Port* p = backend_.port(key_);
    if (p == nullptr || p->queue.empty()) return std::optional<platform::UdpReceived>{};
    SimDatagram d = std::move(p->queue.front());
    p->queue.pop_front();
    const std::size_t n = std::min(buffer.size(), d.payload.size());
    if (n > 0) std::memcpy(buffer.data(), d.payload.data(), n);
    return std::optional<platform::UdpReceived>(
        platform::UdpReceived{n, d.from, d.payload.size() > buffer.size()});
  }

  core::Result<Unit, NetError> send(std::span<const std::byte> payload,
                                    platform::Ipv4Endpoint peer) override {
    backend_.record_send(key_, payload, peer);
    return Unit{};
  }

 private:
  SimBackend& backend_;
  int key_;
  platform::Ipv4Endpoint local_;
};

uint64_t SimCounter::read() {
  const auto ns = static_cast<unsigned __int128>(mono_to_ns(backend_.now()));
  return start_ + static_cast<uint64_t>(ns * hz_ / 1'000'000'000u);
}

platform::CounterInfo SimCounter::info() const {
  return {"sim", platform::CounterKind::Invalid, hz_, true, "virtual time of the sim backend"};
}

SimBackend::SimBackend(MonoTime start) : now_(start) {}
SimBackend::~SimBackend() = default;

core::Result<std::unique_ptr<DatagramPort>, NetError> SimBackend::open_udp(platform::Ipv4Endpoint local) {
  for (const auto& [key, p] : ports_) {
    if (p.local == local) return core::Unexpected{NetError{NetErrc::AddressInUse, 0}};
  }
  const int key = next_key_++;
  ports_[key] = Port{local, {}};
  return std::unique_ptr<DatagramPort>(new SimPort(*this, key, local));
}

void SimBackend::deliver_at(MonoTime at, platform::Ipv4Endpoint from, platform::Ipv4Endpoint to,
                            std::vector<std::byte> payload) {
  arrivals_.emplace(std::make_pair(at, arrival_seq_++), SimDatagram{at, from, to, std::move(payload)});
}

void SimBackend::stop_at(MonoTime at) {
  if (at <= now_) {
    stop_ = true;
  } else {
    stop_at_ = at;
  }
}

void SimBackend::advance_to(MonoTime t) {
  now_ = std::max(now_, t);
  deliver_due();
}

SimBackend::Port* SimBackend::port(int key) {
  auto it = ports_.find(key);
  return it == ports_.end() ? nullptr : &it->second;
}

void SimBackend::deliver_due() {
  while (!arrivals_.empty() && arrivals_.begin()->first.first <= now_) {
    SimDatagram d = std::move(arrivals_.begin()->second);
    arrivals_.erase(arrivals_.begin());
    auto it =
        std::find_if(ports_.begin(), ports_.end(), [&](const auto& kv) { return kv.second.local == d.to; });
    if (it == ports_.end()) {
      ++dropped_;
    } else {
      it->second.queue.push_back(std::move(d));
    }
  }
  if (stop_at_ && *stop_at_ <= now_) {
    stop_ = true;
    stop_at_.reset();
  }
}

void SimBackend::record_send(int key, std::span<const std::byte> payload, platform::Ipv4Endpoint peer) {
  const Port* p = port(key);
  SimDatagram d{now_, p != nullptr ? p->local : platform::Ipv4Endpoint{}, peer,
                std::vector<std::byte>(payload.begin(), payload.end())};
  sent_.push_back(d);
  if (hook_) hook_(*this, d);
}

WaitOutcome SimBackend::wait(std::span<const int> keys, WaitDeadline deadline) {
  ++waits_;
  auto ready_mask = [&] {
    uint64_t mask = 0;
    for (std::size_t i = 0; i < keys.size() && i < 64; ++i) {
      const Port* p = port(keys[i]);
      if (p != nullptr && !p->queue.empty()) mask |= uint64_t{1} << i;
    }
    return mask;
  };
  deliver_due();
  for (;;) {
    if (stop_) return {WaitStatus::Interrupted, 0};
    if (const uint64_t m = ready_mask(); m != 0) return {WaitStatus::Ready, m};
    if (deadline.kind == WaitDeadline::Kind::Immediate) return {WaitStatus::TimedOut, 0};
    // The next thing that can happen: an arrival, the stop, or the deadline.
    std::optional<MonoTime> next;
    if (!arrivals_.empty()) next = arrivals_.begin()->first.first;
    if (stop_at_ && (!next || *stop_at_ < *next)) next = stop_at_;
    const bool has_deadline = deadline.kind == WaitDeadline::Kind::At;
    if (has_deadline && (!next || deadline.at <= *next)) {
      now_ = std::max(now_, deadline.at);
      deliver_due();
      if (stop_) return {WaitStatus::Interrupted, 0};
      const uint64_t m = ready_mask();
      return {m != 0 ? WaitStatus::Ready : WaitStatus::TimedOut, m};
    }
    if (!next) return {WaitStatus::Stalled, 0};  // waiting forever on nothing scripted
    now_ = std::max(now_, *next);
    deliver_due();
  }
}

}  // namespace ffclock::runtime::sim
