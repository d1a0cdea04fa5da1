// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/daemon_main.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "daemon/driver.hpp"
#include "daemon/engine_port.hpp"
#include "daemon/eval_log.hpp"
#include "daemon/kernel_discipline_service.hpp"
#include "daemon/lifecycle_watch.hpp"
#include "daemon/notifying_publisher.hpp"
#include "daemon/ntp_service.hpp"
#include "daemon/page_publisher.hpp"
#include "daemon/served_snapshot.hpp"
#include "daemon/server_worker.hpp"
#include "daemon/state_keeper.hpp"
#include "daemon/state_writer.hpp"
#include "platform/atomic_file.hpp"
#include "platform/boot_clocks.hpp"
#include "platform/counter_factory.hpp"
#include "platform/kernel_clock.hpp"
#include "platform/kernel_clock_discipline.hpp"
#include "platform/leap/leap_file.hpp"
#include "platform/name_resolver.hpp"
#include "platform/page_writer.hpp"
#include "platform/random_seed.hpp"
#include "platform/stop_signals.hpp"
#include "platform/system_clock_sampler.hpp"
#include "platform/vmclock/vmclock_device.hpp"
#include "runtime/linux/batch_udp_port.hpp"
#include "runtime/linux/linux_backend.hpp"
#include "runtime/net_device.hpp"
#include "runtime/scheduler.hpp"

#ifndef FFCLOCK_VERSION
#define FFCLOCK_VERSION "0.0.0"
#endif

namespace ffclock::daemon {

using core::engine::LogLevel;

const char* daemon_version() { return FFCLOCK_VERSION; }

namespace {

std::string sources_text(const DaemonConfig& c) {
  std::string s;
  for (const auto& e : c.sources) {
    if (!s.empty()) s += ", ";
    s += e.host_port ? fmt::format("{} {}", to_string(e.mode), e.address) : source_name(e);
  }
  return s;
}

}  // namespace

int run_daemon(const DaemonConfig& config, const std::string& config_path, LogSink& log,
               platform::ReferenceClock* eval_reference) {
  auto counter = platform::make_counter(config.counter);
  if (!counter) {
    log.write(LogLevel::Error, fmt::format("counter \"{}\": {}", config.counter, counter.error().message));
    return 1;
  }
  platform::Counter& ctr = *counter.value();
  const platform::CounterInfo info = ctr.info();

  for (const std::string* path : {&config.page, &config.sources_page}) {
    if (auto r = platform::make_parent_directories(*path); !r) {
      log.write(LogLevel::Error,
                fmt::format("{}: cannot create its directory: {}", *path, platform::describe(r.error())));
      return 1;
    }
  }
  auto writer = platform::PageWriter::open_file(config.page, ctr);
  if (!writer) {
    log.write(LogLevel::Error, fmt::format("clock page {}: {}", config.page, writer.error().message));
    return 1;
  }
  PageWriterPublisher page_writer(std::move(writer).value());
  NotifyingPublisher publisher(page_writer);

  auto backend = runtime::linux_os::LinuxBackend::create();
  if (!backend) {
    log.write(LogLevel::Error, fmt::format("runtime: {}", platform::describe(backend.error())));
    return 1;
  }
  runtime::Scheduler sched(*backend.value(), ctr);

  platform::LinuxKernelClock kernel;
  // [kernel] discipline: CLOCK_REALTIME follows the published clock (off by default).
  platform::LinuxKernelClockDiscipline kernel_setters;
  std::optional<KernelDisciplineService> discipline;
  if (config.kernel.discipline) {
    if (kernel.status().synchronized) {
      log.write(LogLevel::Warning,
                "kernel discipline: the kernel clock is already marked synchronized; if chronyd, ntpd or "
                "systemd-timesyncd runs, stop it or set [kernel] discipline = false (only one daemon may "
                "discipline the kernel clock)");
    }
    discipline.emplace(ctr, kernel, kernel_setters, log,
                       core::discipline::DisciplineSettings{config.kernel.step_threshold, config.kernel.rtc});
    publisher.add_listener([&discipline](const core::PageInput& in) { discipline->on_publication(in); });
  }
  platform::SystemClockSampler sampler(ctr, kernel);
  platform::SystemNameResolver resolver;
  std::optional<platform::FileLeapSource> leap;
  if (!config.leap_file.empty()) leap.emplace(config.leap_file);

  // The host's vmclock device: a missing or foreign one is a warning, the daemon runs without.
  std::optional<platform::VmclockDevice> vmclock;
  if (!config.vmclock_device.empty()) {
    auto d = platform::VmclockDevice::open(config.vmclock_device);
    if (d)
      vmclock.emplace(std::move(d).value());
    else
      log.write(LogLevel::Warning, fmt::format("vmclock: {}; running without it", d.error().message));
  }
  std::optional<uint64_t> host_marker;
  if (vmclock) {
    if (auto snap = vmclock->read()) host_marker = snap->disruption_marker;
  }

  // Warm start from the state file when it belongs to this counter, boot and host.
  std::optional<StateKeeper> state;
  if (!config.state_file.empty()) {
    state.emplace(config.state_file,
                  core::CounterIdentity{info.name, info.nominal_hz, platform::read_boot_id(), host_marker});
  }
  core::engine::EngineConfig engine_config =
      to_engine_config(config, info, kernel.realtime(), platform::random_seed());
  if (state) engine_config.warm_start = state->load(kernel.realtime(), log);
  SyncEnginePort engine(std::move(engine_config));

  DriverHands hands;
  hands.open_port = [] { return runtime::linux_os::LinuxBackend::open_udp(platform::Ipv4Endpoint::any(0)); };
  hands.resolver = &resolver;
  hands.sampler = &sampler;
  hands.kernel = &kernel;
  hands.page = &publisher;
  const std::string sources_page = config.sources_page;
  hands.write_sources_page = [sources_page](const std::string& text) -> std::optional<std::string> {
    auto r = platform::write_file_atomically(sources_page, text);
    if (!r) return fmt::format("{}: {}", sources_page, platform::describe(r.error()));
    return std::nullopt;
  };
  hands.vmclock = vmclock ? &*vmclock : nullptr;
  hands.leap = leap ? &*leap : nullptr;
  hands.leap_path = config.leap_file;
  hands.log = &log;

  DriverOptions options;
  options.page_path = config.page;
  options.daemon_version = daemon_version();
  options.pid = static_cast<int>(::getpid());
  options.nominal_hz = info.nominal_hz != 0 ? info.nominal_hz : 1'000'000'000;

  // NTP service sockets, opened before anything runs so that a bad address stops the start.
  std::vector<std::unique_ptr<NtpService>> services;
  // Serving threads of listeners with threads > 1; they answer from `snapshot`, which the
  // publisher below fills at each publication. Declared after what they use, so they stop
  // first.
  ServedSnapshot snapshot;
  std::vector<std::unique_ptr<ServerWorker>> workers;
  Driver* driver_ptr = nullptr;
  // The upstream server's address as refid (RFC 5905 loop detection); the published code
  // otherwise ("SYS" for the kernel clock, "VMCL" for the host's vmclock).
  auto refid = [&driver_ptr, &engine]() -> uint32_t {
    const auto sel = engine.summary().selected;
    if (sel) {
      if (auto a = driver_ptr->address(*sel)) return a->addr;
    }
    if (const auto& l = driver_ptr->latest(); l && l->source.refid != 0) return l->source.refid;
    return 0x53595300;
  };
  for (const ServerEntry& e : config.servers) {
    core::Result<std::unique_ptr<runtime::DatagramPort>, runtime::NetError> port =
        core::Unexpected{runtime::NetError{runtime::NetErrc::OpenFailed, 0}};
    const bool reuse_port = e.threads > 1;
    if (e.batched) {
      auto b = runtime::linux_os::BatchUdpPort::open(e.listen, reuse_port);
      if (b)
        port = std::unique_ptr<runtime::DatagramPort>(std::move(b).value());
      else
        port = core::Unexpected{b.error()};
    } else {
      port = runtime::linux_os::LinuxBackend::open_udp(e.listen);
    }
    if (!port) {
      log.write(LogLevel::Error, fmt::format("server {}: cannot listen: {}", platform::to_string(e.listen),
                                             runtime::describe(port.error())));
      return 1;
    }
    auto dev = runtime::NetDevice::open(sched, std::move(port).value());
    if (!dev) {
      log.write(LogLevel::Error,
                fmt::format("server {}: {}", platform::to_string(e.listen), runtime::describe(dev.error())));
      return 1;
    }
    core::server::ServerPolicy policy;
    policy.rate_limit = e.ratelimit;
    for (const auto& c : e.allow) policy.access.allow(c);
    for (const auto& c : e.deny) policy.access.deny(c);
    for (int i = 1; i < e.threads; ++i) {
      auto b = runtime::linux_os::BatchUdpPort::open(e.listen, true);
      if (!b) {
        log.write(LogLevel::Error,
                  fmt::format("server {}: cannot listen (thread {}): {}", platform::to_string(e.listen), i,
                              runtime::describe(b.error())));
        return 1;
      }
      auto wake = platform::WakeEvent::create();
      if (!wake) {
        log.write(LogLevel::Error, fmt::format("server {}: serving thread: {}", platform::to_string(e.listen),
                                               platform::describe(wake.error())));
        return 1;
      }
      workers.push_back(std::make_unique<ServerWorker>(std::move(b).value(), policy, snapshot, ctr,
                                                       precision_for(info.nominal_hz),
                                                       std::move(wake).value()));
    }
    services.push_back(std::make_unique<NtpService>(
        sched, std::move(dev).value(), std::move(policy),
        [&driver_ptr]() -> const std::optional<core::PageInput>& { return driver_ptr->latest(); }, refid,
        precision_for(info.nominal_hz)));
  }
  // With serving threads, each publication is also handed to them.
  SnapshotPublisher snapshot_publisher(publisher, snapshot, refid);
  if (!workers.empty()) hands.page = &snapshot_publisher;
  if (!services.empty()) {
    hands.server_stats = [&services, &workers]() -> std::optional<core::server::ServerStats> {
      core::server::ServerStats total;
      const auto add = [&total](const core::server::ServerStats& st) {
        total.requests += st.requests;
        total.replies += st.replies;
        total.kod_sent += st.kod_sent;
        total.dropped_malformed += st.dropped_malformed;
        total.dropped_rate_limited += st.dropped_rate_limited;
        total.dropped_denied += st.dropped_denied;
        total.dropped_mode += st.dropped_mode;
      };
      for (const auto& s : services) add(s->stats());
      for (const auto& w : workers) add(w->stats());
      return total;
    };
  }
  LifecycleWatch watch(
      sched, vmclock ? &*vmclock : nullptr,
      [&driver_ptr](core::engine::DisruptionReason why) { driver_ptr->disrupt(why); },
      [&driver_ptr, &options]() -> std::pair<long double, double> {
        const auto& l = driver_ptr->latest();
        if (l && !l->unreliable) return {l->params.local_period.to_seconds(), l->params.period_maxerror_rel};
        return {1.0L / static_cast<long double>(options.nominal_hz), 500e-6};
      });
  hands.before_exchange = [&watch] { watch.check(); };
  watch.on_snapshot([&driver_ptr](const platform::VmclockSnapshot& s) {
    if (driver_ptr == nullptr) return;
    driver_ptr->set_host_marker(s.disruption_marker);
    driver_ptr->set_host_flags(s.flags);
  });

  Driver driver(sched, engine, config.sources, std::move(hands), options);
  driver_ptr = &driver;
  if (discipline) {
    driver.add_step_listener([&discipline](const core::engine::StepNotice& n) { discipline->on_step(n); });
  }
  std::optional<EvalLog> eval;
  if (eval_reference != nullptr) {
    eval.emplace(
        *eval_reference,
        [](const std::string& line) {
          std::fputs((line + "\n").c_str(), stdout);
          std::fflush(stdout);
        },
        log);
  }
  if (auto err = driver.open()) {
    log.write(LogLevel::Error, *err);
    return 1;
  }
  for (auto& w : workers) w->start();
  log.write(LogLevel::Info,
            fmt::format(
                "ffclockd {} starting: config {}, counter {} ({} Hz), page {}, sources page {}, sources: {}",
                daemon_version(), config_path, info.name, info.nominal_hz, config.page, config.sources_page,
                sources_text(config)));
  if (discipline) {
    log.write(LogLevel::Info,
              fmt::format("kernel discipline on: step threshold {:.6f} s, RTC {}",
                          config.kernel.step_threshold.to_seconds(),
                          config.kernel.rtc ? "through the kernel's 11-minute mode" : "left alone"));
  }

  // Coroutine lambdas: both objects outlive sched.run(), which their frames refer to.
  auto save_periodically = [&]() -> runtime::Task<void> {
    for (;;) {
      co_await sched.sleep_for(std::chrono::seconds(10));
      if (state && driver.latest() && state->due(kernel.realtime())) {
        if (vmclock) state->set_host_marker(watch.host_marker());
        if (auto text = state->text_to_save(*driver.latest(), kernel.realtime())) {
          if (auto err = co_await write_state(sched, state->path(), std::move(*text)))
            log.write(LogLevel::Warning, *err);
        }
      }
    }
  };
  auto discipline_periodically = [&]() -> runtime::Task<void> {
    for (;;) {
      co_await sched.sleep_for(KernelDisciplineService::kRunInterval);
      discipline->on_tick();
    }
  };
  auto root = [&]() -> runtime::Task<void> {
    auto d = sched.spawn(driver.run());
    std::vector<runtime::JoinHandle<void>> served;
    for (auto& svc : services) served.push_back(sched.spawn(svc->run()));
    auto w = sched.spawn(watch.run());
    auto saver = sched.spawn(save_periodically());
    std::optional<runtime::JoinHandle<void>> evaluating;
    if (eval) evaluating.emplace(sched.spawn(eval->run(sched, config.page)));
    std::optional<runtime::JoinHandle<void>> disciplining;
    if (discipline) disciplining.emplace(sched.spawn(discipline_periodically()));
    (void)co_await d.join();
  };
  auto r = sched.run(root());
  if (state && driver.latest()) {
    if (vmclock) state->set_host_marker(watch.host_marker());
    if (auto text = state->text_to_save(*driver.latest(), kernel.realtime())) {
      if (auto err = write_state_now(sched, state->path(), *text)) log.write(LogLevel::Warning, *err);
    }
  }
  if (!r && r.error() == runtime::RunError::Stopped) {
    const int sig = platform::StopSignals::last_signal();
    log.write(LogLevel::Notice, fmt::format("stopping on {}", sig == SIGINT ? "SIGINT" : "SIGTERM"));
    return 0;
  }
  if (!r) {
    log.write(LogLevel::Error, fmt::format("runtime stopped: {} {}", runtime::describe(r.error()),
                                           backend.value()->last_error()));
    return 1;
  }
  return 0;
}

}  // namespace ffclock::daemon
