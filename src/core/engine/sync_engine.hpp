// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The sync engine: the daemon's brain without its hands (sans-IO, like ntpd-rs's ntp-proto).
// It owns the sources (poll state, reachability, nonces, kiss-o'-death, one Estimator each),
// selects and combines them, keeps the leap state, applies the step rule, and decides what
// the clock page says. Every input carries the counter value it happened at; every output is
// an Actions value. No clocks, sockets, threads or randomness of its own: ffclockd and
// ffclock-sim drive the same object, so a simulator figure is a product figure.
//
// Timescale: server timestamps are unfolded onto TAI with the leap state before any
// estimator sees them; UTC is derived only when publishing. A leap second is never a 1 s
// step in the data.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/engine/actions.hpp"
#include "core/engine/engine_config.hpp"
#include "core/engine/source_snapshot.hpp"
#include "core/engine/vmclock_sample.hpp"
#include "core/leap/leap_table.hpp"

namespace ffclock::core::engine {

// One reading of the kernel clock for the `system` source: CLOCK_REALTIME read between two
// counter reads, with the kernel's own view of its error (adjtimex).
struct SystemSample {
  uint64_t counter_before = 0;
  UtcTime realtime;
  uint64_t counter_after = 0;
  Duration kernel_maxerror;          // adjtimex maxerror (16 s on a kernel nobody disciplines)
  bool kernel_synchronized = false;  // adjtimex: not TIME_ERROR and STA_UNSYNC clear
};

enum class DisruptionReason : uint8_t {
  HostMarker,   // the host vmclock disruption marker or VM generation changed
  CounterJump,  // the counter disagreed with CLOCK_MONOTONIC between wake-ups
  Resume,       // CLOCK_BOOTTIME − CLOCK_MONOTONIC jumped: the machine was suspended
};
[[nodiscard]] const char* to_string(DisruptionReason r);

// What the engine says about itself (for the sources page and `ffclock status`).
struct EngineSummary {
  std::optional<std::size_t> selected;  // index of the source with the largest weight
  uint64_t step_generation = 0;
  LeapIndicator leap = LeapIndicator::None;  // pending at the next leap instant
  int32_t tai_minus_utc = 37;
  bool tai_offset_known = false;
};

class SyncEngine {
 public:
  explicit SyncEngine(EngineConfig config);
  ~SyncEngine();
  SyncEngine(SyncEngine&&) noexcept;
  SyncEngine& operator=(SyncEngine&&) noexcept;

  // First call: starts every source (bursts). `counter` is the counter now.
  [[nodiscard]] Actions start(uint64_t counter);
  // The timer asked for by the last Actions fired (or any other wake-up).
  [[nodiscard]] Actions on_timer(uint64_t counter);
  // The request `nonce` for `source` left at `tx_counter` (read right before the send).
  void on_sent(std::size_t source, uint64_t nonce, uint64_t tx_counter);
  // A datagram from `source`'s address, received at `rx_counter` (read right after the wait).
  [[nodiscard]] Actions on_packet(std::size_t source, std::span<const uint8_t> bytes, uint64_t rx_counter);
  // A kernel clock reading for the system source(s).
  [[nodiscard]] Actions on_system_sample(const SystemSample& sample);
  // A reading of the host's vmclock page for the vmclock source(s): asked for by
  // Actions::sample_vmclock, and also taken unasked (the daemon reads the page once a second
  // and before every exchange). A host time that is not usable here (vmclock_sample.hpp)
  // takes the source out of selection with the reason on the sources page.
  [[nodiscard]] Actions on_vmclock_sample(const VmclockSample& sample);
  // The host's page could not be read at all (no device, a host that kept it busy).
  [[nodiscard]] Actions on_vmclock_unreadable(uint64_t counter, const std::string& why);
  // The counter no longer means what it meant: forget calibrations, re-acquire, step.
  [[nodiscard]] Actions on_disruption(uint64_t counter, DisruptionReason reason);
  // A (new) leap table from the leap-seconds.list file.
  [[nodiscard]] Actions on_leap_table(const LeapTable& table, uint64_t counter);
  // New poll limits for a source (configuration reload, the simulator's poll change).
  [[nodiscard]] Actions on_poll_range(std::size_t source, int minpoll, int maxpoll, uint64_t counter);

  [[nodiscard]] std::size_t source_count() const;
  [[nodiscard]] SourceSnapshot source(std::size_t i) const;
  [[nodiscard]] EngineSummary summary() const;
  [[nodiscard]] const EngineConfig& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ffclock::core::engine
