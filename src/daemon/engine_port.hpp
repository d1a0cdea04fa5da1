// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The calls the driver makes on the sync engine, as an interface: the daemon plugs in the
// real SyncEngine (SyncEnginePort), the driver's tests a scripted engine, so the driver's
// own work (sockets, timers, pages, logs) is tested apart from the engine's decisions.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/engine/sync_engine.hpp"

namespace ffclock::daemon {

class EnginePort {
 public:
  virtual ~EnginePort() = default;
  [[nodiscard]] virtual core::engine::Actions start(uint64_t counter) = 0;
  [[nodiscard]] virtual core::engine::Actions on_timer(uint64_t counter) = 0;
  virtual void on_sent(std::size_t source, uint64_t nonce, uint64_t tx_counter) = 0;
  [[nodiscard]] virtual core::engine::Actions on_packet(std::size_t source, std::span<const uint8_t> bytes,
                                                        uint64_t rx_counter) = 0;
  [[nodiscard]] virtual core::engine::Actions on_system_sample(const core::engine::SystemSample& sample) = 0;
  [[nodiscard]] virtual core::engine::Actions on_leap_table(const core::LeapTable& table,
                                                            uint64_t counter) = 0;
  [[nodiscard]] virtual core::engine::Actions on_disruption(uint64_t /*counter*/,
                                                            core::engine::DisruptionReason /*why*/) {
    return {};
  }
  [[nodiscard]] virtual core::engine::Actions on_vmclock_sample(
      const core::engine::VmclockSample& /*sample*/) {
    return {};
  }
  [[nodiscard]] virtual core::engine::Actions on_vmclock_unreadable(uint64_t /*counter*/,
                                                                    const std::string& /*why*/) {
    return {};
  }
  [[nodiscard]] virtual std::size_t source_count() const = 0;
  [[nodiscard]] virtual core::engine::SourceSnapshot source(std::size_t i) const = 0;
  [[nodiscard]] virtual core::engine::EngineSummary summary() const = 0;
};

class SyncEnginePort final : public EnginePort {
 public:
  explicit SyncEnginePort(core::engine::EngineConfig config) : engine_(std::move(config)) {}
  core::engine::Actions start(uint64_t counter) override { return engine_.start(counter); }
  core::engine::Actions on_timer(uint64_t counter) override { return engine_.on_timer(counter); }
  void on_sent(std::size_t source, uint64_t nonce, uint64_t tx_counter) override {
    engine_.on_sent(source, nonce, tx_counter);
  }
  core::engine::Actions on_packet(std::size_t source, std::span<const uint8_t> bytes,
                                  uint64_t rx_counter) override {
    return engine_.on_packet(source, bytes, rx_counter);
  }
  core::engine::Actions on_system_sample(const core::engine::SystemSample& sample) override {
    return engine_.on_system_sample(sample);
  }
  core::engine::Actions on_leap_table(const core::LeapTable& table, uint64_t counter) override {
    return engine_.on_leap_table(table, counter);
  }
  core::engine::Actions on_disruption(uint64_t counter, core::engine::DisruptionReason why) override {
    return engine_.on_disruption(counter, why);
  }
  core::engine::Actions on_vmclock_sample(const core::engine::VmclockSample& sample) override {
    return engine_.on_vmclock_sample(sample);
  }
  core::engine::Actions on_vmclock_unreadable(uint64_t counter, const std::string& why) override {
    return engine_.on_vmclock_unreadable(counter, why);
  }
  std::size_t source_count() const override { return engine_.source_count(); }
  core::engine::SourceSnapshot source(std::size_t i) const override { return engine_.source(i); }
  core::engine::EngineSummary summary() const override { return engine_.summary(); }

 private:
  core::engine::SyncEngine engine_;
};

}  // namespace ffclock::daemon
