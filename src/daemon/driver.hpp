// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The driver: runs the sync engine on the cooperative runtime and performs its Actions.
// One UDP port per network source; a reader task per port hands datagrams from that
// source's address (and only those) to the engine with their receive counter stamps; a
// timer task calls on_timer when the engine asked and refreshes the sources page; the root
// task reloads the leap file daily. Sends report their transmit stamp back (on_sent),
// publications go to the clock page, steps to the log and the step listeners.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/actions.hpp"
#include "core/server/ntp_server.hpp"
#include "daemon/daemon_config.hpp"
#include "daemon/engine_port.hpp"
#include "daemon/log_sink.hpp"
#include "daemon/page_publisher.hpp"
#include "platform/kernel_clock.hpp"
#include "platform/leap/leap_file.hpp"
#include "platform/name_resolver.hpp"
#include "platform/system_clock_sampler.hpp"
#include "platform/vmclock/vmclock_device.hpp"
#include "runtime/backend.hpp"
#include "runtime/net_device.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/task.hpp"

namespace ffclock::daemon {

// Everything the driver touches outside the engine.
struct DriverHands {
  // A fresh UDP port on any local address and port.
  std::function<core::Result<std::unique_ptr<runtime::DatagramPort>, runtime::NetError>()> open_port;
  platform::NameResolver* resolver = nullptr;
  platform::SystemClockSampler* sampler = nullptr;
  platform::KernelClock* kernel = nullptr;  // CLOCK_REALTIME for the sources page's stamps
  PagePublisher* page = nullptr;
  // Writes the sources page; an error text on failure.
  std::function<std::optional<std::string>(const std::string& text)> write_sources_page;
  platform::LeapSource* leap = nullptr;  // nullptr: no leap file configured
  // The NTP server's counters for the sources page (empty: no server configured).
  std::function<std::optional<core::server::ServerStats>()> server_stats;
  // Called before every exchange (and vmclock reading) is handed to the engine (the
  // disruption checks).
  std::function<void()> before_exchange;
  // The host's vmclock page, read for a vmclock source (nullptr: none could be opened).
  const platform::VmclockDevice* vmclock = nullptr;
  std::string leap_path;  // for messages
  LogSink* log = nullptr;
};

struct DriverOptions {
  std::string page_path;
  std::string daemon_version;
  int pid = 0;
  uint64_t nominal_hz = 1'000'000'000;
  runtime::Nanos sources_refresh = std::chrono::seconds(10);  // the sources page's maximum age
  runtime::Nanos leap_reload = std::chrono::hours(24);
};

struct DriverStats {
  uint64_t received = 0;         // datagrams handed to the engine
  uint64_t foreign_dropped = 0;  // from an address other than the source's
  uint64_t receive_errors = 0;   // truncated or failed receives
  uint64_t sent = 0;
  uint64_t send_failures = 0;
  uint64_t unaddressed = 0;  // sends asked for a source with no resolved address
  uint64_t publications = 0;
  uint64_t steps = 0;
  uint64_t system_samples = 0;
  uint64_t vmclock_samples = 0;
  uint64_t sources_page_writes = 0;
  uint64_t timer_calls = 0;
};

class Driver {
 public:
  // `sources` are the configured sources, in the engine's order.
  Driver(runtime::Scheduler& sched, EnginePort& engine, std::vector<SourceEntry> sources, DriverHands hands,
         DriverOptions options);
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;
  ~Driver();

  // Opens the ports (an error text if one cannot be opened; nothing runs then).
  [[nodiscard]] std::optional<std::string> open();
  // The root task: runs until cancelled (SIGTERM/SIGINT cancel the root).
  [[nodiscard]] runtime::Task<void> run();

  using StepListener = std::function<void(const core::engine::StepNotice&)>;
  // Called after the page holds the stepped clock (kernel clock, RTC, server: later issues).
  void add_step_listener(StepListener listener) { step_listeners_.push_back(std::move(listener)); }

  [[nodiscard]] const DriverStats& stats() const { return stats_; }
  // The resolved address of source i, if any.
  [[nodiscard]] std::optional<platform::Ipv4Endpoint> address(std::size_t i) const {
    return sources_[i].peer;
  }
  // Writes the sources page now (also used at exit).
  void write_sources_page();
  // The counter stopped meaning what it meant (host marker, suspend, jump): tell the engine.
  void disrupt(core::engine::DisruptionReason why);
  // The host's vmclock flags, seen by whoever read its page last: DISRUPTION_SOON and
  // _IMMINENT are passed through to the clock page (republished at once when they change).
  void set_host_flags(uint64_t flags);
  // The host's vmclock disruption marker the calibration belongs to: every publication
  // carries it, so a reader that maps the host page sees DISRUPTED the moment the host moves
  // the guest, before this daemon has reacted.
  void set_host_marker(uint64_t marker) { host_marker_ = marker; }
  // What was published last (the NTP server and the state file read it).
  [[nodiscard]] const std::optional<core::PageInput>& latest() const { return latest_; }

 private:
  struct Source {
    SourceEntry entry;
    std::unique_ptr<runtime::NetDevice> device;  // network sources only
    std::optional<platform::Ipv4Endpoint> peer;
    std::size_t pool_cursor = 0;
    bool resolve_failing = false;
    runtime::JoinHandle<void> reader;
  };

  runtime::Task<void> reader_loop(std::size_t i);
  runtime::Task<void> timer_loop();
  void perform(core::engine::Actions actions, bool from_timer, int depth = 0);
  void publish(core::PageInput input);
  // Reads the host's page and hands it to the engine (after the disruption checks unless
  // `checked`: the caller just ran them).
  void feed_vmclock(bool from_timer, int depth, bool checked);
  void send(const core::engine::SendRequest& req);
  void resolve(std::size_t i);
  void load_leap_file(bool first);
  void arm_engine_timer(Duration after, bool replace);
  void log(core::engine::LogLevel level, const std::string& text);

  runtime::Scheduler& sched_;
  EnginePort& engine_;
  std::vector<Source> sources_;
  DriverHands hands_;
  DriverOptions options_;
  DriverStats stats_;
  std::vector<StepListener> step_listeners_;
  std::optional<core::PageInput> latest_;
  UtcTime started_;

  runtime::MonoTime engine_deadline_{};
  runtime::MonoTime sources_deadline_{};
  runtime::JoinHandle<void> timer_;
  std::optional<runtime::MonoTime> timer_armed_;  // what the running timer task sleeps until
  bool in_timer_ = false;
  bool sources_dirty_ = true;
  bool leap_ok_ = false;
  bool leap_warned_ = false;
  bool has_vmclock_source_ = false;
  bool host_soon_ = false;
  bool host_imminent_ = false;
  std::optional<uint64_t> host_marker_;
};

}  // namespace ffclock::daemon
