#include "daemon/daemon_main.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include "daemon/driver.hpp"
#include "daemon/engine_port.hpp"
#include "daemon/page_publisher.hpp"
#include "platform/atomic_file.hpp"
#include "platform/counter_factory.hpp"
#include "platform/kernel_clock.hpp"
#include "platform/leap/leap_file.hpp"
#include "platform/name_resolver.hpp"
#include "platform/page_writer.hpp"
#include "platform/random_seed.hpp"
#include "platform/stop_signals.hpp"
#include "platform/system_clock_sampler.hpp"
#include "runtime/linux/linux_backend.hpp"
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
    s += e.mode == core::engine::SourceMode::System ? std::string("system")
                                                     : fmt::format("{} {}", to_string(e.mode), e.address);
  }
  return s;
}

}  // namespace

int run_daemon(const DaemonConfig& config, const std::string& config_path, LogSink& log) {
  auto counter = platform::make_counter(config.counter);
  if (!counter) {
    log.write(LogLevel::Error, fmt::format("counter \"{}\": {}", config.counter, counter.error().message));
    return 1;
  }
  platform::Counter& ctr = *counter.value();
  const platform::CounterInfo info = ctr.info();

  for (const std::string* path : {&config.page, &config.sources_page}) {
    if (auto r = platform::make_parent_directories(*path); !r) {
      log.write(LogLevel::Error, fmt::format("{}: cannot create its directory: {}", *path, platform::describe(r.error())));
      return 1;
    }
  }
  auto writer = platform::PageWriter::open_file(config.page, ctr);
  if (!writer) {
    log.write(LogLevel::Error, fmt::format("clock page {}: {}", config.page, writer.error().message));
    return 1;
  }
  PageWriterPublisher publisher(std::move(writer).value());

  auto backend = runtime::linux_os::LinuxBackend::create();
  if (!backend) {
    log.write(LogLevel::Error, fmt::format("runtime: {}", platform::describe(backend.error())));
    return 1;
  }
  runtime::Scheduler sched(*backend.value(), ctr);

  platform::LinuxKernelClock kernel;
  platform::SystemClockSampler sampler(ctr, kernel);
  platform::SystemNameResolver resolver;
  std::optional<platform::FileLeapSource> leap;
  if (!config.leap_file.empty()) leap.emplace(config.leap_file);

  SyncEnginePort engine(to_engine_config(config, info, kernel.realtime(), platform::random_seed()));

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
  hands.leap = leap ? &*leap : nullptr;
  hands.leap_path = config.leap_file;
  hands.log = &log;

  DriverOptions options;
  options.page_path = config.page;
  options.daemon_version = daemon_version();
  options.pid = static_cast<int>(::getpid());
  options.nominal_hz = info.nominal_hz != 0 ? info.nominal_hz : 1'000'000'000;

  Driver driver(sched, engine, config.sources, std::move(hands), options);
  if (auto err = driver.open()) {
    log.write(LogLevel::Error, *err);
    return 1;
  }
  log.write(LogLevel::Info,
            fmt::format("ffclockd {} starting: config {}, counter {} ({} Hz), page {}, sources page {}, sources: {}",
                        daemon_version(), config_path, info.name, info.nominal_hz, config.page, config.sources_page,
                        sources_text(config)));

  auto r = sched.run(driver.run());
  if (!r && r.error() == runtime::RunError::Stopped) {
    const int sig = platform::StopSignals::last_signal();
    log.write(LogLevel::Notice, fmt::format("stopping on {}", sig == SIGINT ? "SIGINT" : "SIGTERM"));
    return 0;
  }
  if (!r) {
    log.write(LogLevel::Error, fmt::format("runtime stopped: {} {}", runtime::describe(r.error()), backend.value()->last_error()));
    return 1;
  }
  return 0;
}

}  // namespace ffclock::daemon
