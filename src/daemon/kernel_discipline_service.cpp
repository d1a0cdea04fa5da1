// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/kernel_discipline_service.hpp"

#include <fmt/format.h>

namespace ffclock::daemon {

using core::engine::LogLevel;

void KernelDisciplineService::on_publication(const core::PageInput& published) {
  using core::discipline::usable_for_discipline;
  const bool changed = !latest_ || usable_for_discipline(*latest_) != usable_for_discipline(published);
  latest_ = published;
  // The first publication and a disruption are acted on at once; the rest waits for the tick.
  if (changed) run();
}

void KernelDisciplineService::on_tick() {
  if (latest_) run();
}

void KernelDisciplineService::on_step(const core::engine::StepNotice&) {
  if (latest_) run();
}

void KernelDisciplineService::run() {
  auto freq = kernel_.frequency_ppm();
  if (!freq) {
    if (!failing_)
      log_.write(LogLevel::Warning, fmt::format("kernel clock: {}", platform::describe(freq.error())));
    failing_ = true;
    return;
  }
  // REALTIME between two counter reads: its counter value is their midpoint.
  core::discipline::KernelReading reading;
  const uint64_t c0 = counter_.read();
  reading.realtime = clock_.realtime();
  const uint64_t c1 = counter_.read();
  reading.counter = c0 + (c1 - c0) / 2;
  reading.frequency_ppm = *freq;

  const core::discipline::KernelAdjustment a = planner_.plan(*latest_, reading);
  ++runs_;
  std::optional<platform::SysError> err;
  if (a.step) {
    err = kernel_.step(*a.step);
    if (!err) {
      ++steps_;
      log_.write(LogLevel::Notice, fmt::format("kernel clock stepped by {:+.9f} s", a.step->to_seconds()));
    }
  }
  if (!err) {
    platform::KernelSettings s;
    s.set_frequency = a.frequency_ppm.has_value();
    s.frequency_ppm = a.frequency_ppm.value_or(0);
    s.maxerror = a.maxerror;
    s.esterror = a.esterror;
    s.synchronized = a.synchronized;
    s.leap = a.leap;
    err = kernel_.set(s);
  }
  if (err) {
    if (!failing_) log_.write(LogLevel::Warning, fmt::format("kernel clock: {}", platform::describe(*err)));
    failing_ = true;
  } else {
    if (failing_) log_.write(LogLevel::Info, "kernel clock: adjustments work again");
    failing_ = false;
    if (a.synchronized != synchronized_) {
      log_.write(LogLevel::Info, a.synchronized ? "kernel clock synchronized (the kernel keeps the RTC)"
                                                : "kernel clock unsynchronized (the kernel leaves the RTC)");
    }
    synchronized_ = a.synchronized;
  }
  log_.write(
      LogLevel::Debug,
      fmt::format("kernel clock: offset {:+.9f} s, frequency {}, maxerror {:.6f} s", a.offset.to_seconds(),
                  a.frequency_ppm ? fmt::format("{:+.3f} ppm", *a.frequency_ppm) : std::string("kept"),
                  a.maxerror.to_seconds()));
  last_ = a;
}

}  // namespace ffclock::daemon
