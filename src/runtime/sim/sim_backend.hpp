// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The simulated backend: virtual monotonic time and a script of datagram arrivals, for
// deterministic tests of anything built on the runtime. Time only moves inside wait(): to
// the next scripted arrival or the deadline, whichever is first. Sent datagrams are
// recorded, and an optional hook can answer them by scripting arrivals (a fake server).

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "platform/counter.hpp"
#include "platform/ipv4_endpoint.hpp"
#include "runtime/backend.hpp"

namespace ffclock::runtime::sim {

struct SimDatagram {
  MonoTime at{};  // arrival (scripted) or send (recorded) time
  platform::Ipv4Endpoint from;
  platform::Ipv4Endpoint to;
  std::vector<std::byte> payload;
};

class SimBackend;

// A counter that reads virtual time: `nominal_hz` ticks per simulated second from `start`.
class SimCounter final : public platform::Counter {
 public:
  SimCounter(SimBackend& backend, uint64_t nominal_hz, uint64_t start)
      : backend_(backend), hz_(nominal_hz), start_(start) {}
  uint64_t read() override;
  platform::CounterInfo info() const override;

 private:
  SimBackend& backend_;
  uint64_t hz_;
  uint64_t start_;
};

class SimBackend final : public Backend {
 public:
  explicit SimBackend(MonoTime start = mono_from_ns(1'000'000'000));
  ~SimBackend() override;

  MonoTime now() override { return now_; }
  WaitOutcome wait(std::span<const int> keys, WaitDeadline deadline) override;
  bool stop_requested() override { return stop_; }

  // A port bound to `local`. Fails with AddressInUse if one is open there already.
  [[nodiscard]] core::Result<std::unique_ptr<DatagramPort>, NetError> open_udp(platform::Ipv4Endpoint local);

  // Script: `payload` from `from` reaches the port bound to `to` at `at` (dropped, and
  // counted, if no port is bound there then). Arrivals in the past land at the next wait.
  void deliver_at(MonoTime at, platform::Ipv4Endpoint from, platform::Ipv4Endpoint to,
                  std::vector<std::byte> payload);
  // The stop signal arrives at `at` (like SIGTERM), or at once.
  void stop_at(MonoTime at);
  void request_stop() { stop_ = true; }

  // Called for every send, after it is recorded; may call deliver_at (a fake peer).
  using SendHook = std::function<void(SimBackend&, const SimDatagram&)>;
  void on_send(SendHook hook) { hook_ = std::move(hook); }

  [[nodiscard]] const std::vector<SimDatagram>& sent() const { return sent_; }
  [[nodiscard]] std::size_t dropped() const { return dropped_; }
  [[nodiscard]] std::size_t waits() const { return waits_; }
  // Advances virtual time by hand (between runs, or from a test hook). Never backwards.
  void advance_to(MonoTime t);

 private:
  friend class SimPort;
  struct Port {
    platform::Ipv4Endpoint local;
    std::deque<SimDatagram> queue;
  };
  void deliver_due();
  void record_send(int key, std::span<const std::byte> payload, platform::Ipv4Endpoint peer);
  [[nodiscard]] Port* port(int key);

  MonoTime now_;
  bool stop_ = false;
  std::optional<MonoTime> stop_at_;
  // (arrival time, script order) -> datagram: equal times keep script order.
  std::map<std::pair<MonoTime, uint64_t>, SimDatagram> arrivals_;
  uint64_t arrival_seq_ = 0;
  std::map<int, Port> ports_;
  int next_key_ = 1;
  std::vector<SimDatagram> sent_;
  SendHook hook_;
  std::size_t dropped_ = 0;
  std::size_t waits_ = 0;
};

}  // namespace ffclock::runtime::sim
