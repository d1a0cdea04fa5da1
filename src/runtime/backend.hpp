// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What the scheduler needs from the world, so the scheduler stays backend-agnostic:
// a monotonic clock, one blocking wait on every device with a deadline, the stop request,
// and the device ports it waits on. Backends: linux/ (poll, UDP sockets, timerfd, files)
// and sim/ (virtual time, scripted datagrams, in-memory pages).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/result.hpp"
#include "platform/ipv4_endpoint.hpp"
#include "platform/udp_socket.hpp"
#include "runtime/errors.hpp"
#include "runtime/mono_time.hpp"

namespace ffclock::runtime {

// How long Backend::wait may block.
struct WaitDeadline {
  enum class Kind : uint8_t { Immediate, At, Forever };
  Kind kind = Kind::Forever;
  MonoTime at{};
  static WaitDeadline immediate() { return {Kind::Immediate, {}}; }
  static WaitDeadline until(MonoTime t) { return {Kind::At, t}; }
  static WaitDeadline forever() { return {Kind::Forever, {}}; }
};

enum class WaitStatus : uint8_t {
  Ready,        // at least one key is readable
  TimedOut,     // the deadline passed (or Immediate and nothing readable)
  Interrupted,  // a signal interrupted the wait; check stop_requested()
  Stalled,      // simulated only: nothing scheduled can ever happen
  Failed,       // the OS wait failed; last_error() says why
};

struct WaitOutcome {
  WaitStatus status = WaitStatus::TimedOut;
  uint64_t ready_mask = 0;  // bit i: keys[i] is readable
};

// A datagram endpoint a NetDevice drives. Created by a backend; waited on through it.
class DatagramPort {
 public:
  virtual ~DatagramPort() = default;
  // What this port is called in Backend::wait (an fd on Linux, an index in the simulator).
  [[nodiscard]] virtual int wait_key() const = 0;
  [[nodiscard]] virtual platform::Ipv4Endpoint local() const = 0;
  // One receive attempt; nullopt when nothing is queued.
  [[nodiscard]] virtual core::Result<std::optional<platform::UdpReceived>, NetError> try_recv(
      std::span<std::byte> buffer) = 0;
  [[nodiscard]] virtual core::Result<Unit, NetError> send(std::span<const std::byte> payload,
                                                          platform::Ipv4Endpoint peer) = 0;
};

// Fixed-size pages a BlockDevice drives. Offsets and lengths arrive already checked.
class BlockStore {
 public:
  virtual ~BlockStore() = default;
  [[nodiscard]] virtual std::size_t page_size() const = 0;
  [[nodiscard]] virtual uint64_t pages() const = 0;
  [[nodiscard]] virtual core::Result<Unit, BlockError> read(uint64_t offset, std::span<std::byte> out) = 0;
  [[nodiscard]] virtual core::Result<Unit, BlockError> write(uint64_t offset,
                                                             std::span<const std::byte> data) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  [[nodiscard]] virtual MonoTime now() = 0;
  // Blocks until one of `keys` is readable, the deadline passes, or a signal arrives.
  // At most 64 keys.
  [[nodiscard]] virtual WaitOutcome wait(std::span<const int> keys, WaitDeadline deadline) = 0;
  [[nodiscard]] virtual bool stop_requested() = 0;
  [[nodiscard]] virtual std::string last_error() const { return {}; }
};

}  // namespace ffclock::runtime
