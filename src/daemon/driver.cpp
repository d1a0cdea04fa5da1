// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/driver.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/time/rfc3339.hpp"
#include "daemon/sources_page.hpp"
#include "daemon/vmclock_reading.hpp"

namespace ffclock::daemon {

using core::engine::Actions;
using core::engine::LogLevel;
using core::engine::SourceMode;
using runtime::MonoTime;
using runtime::Nanos;

namespace {

// NTP replies are 48 bytes plus extensions; anything this long is not one of ours.
constexpr std::size_t kReceiveBuffer = 2048;
// Nested sample_system -> on_system_sample -> sample_system chains stop here.
constexpr int kMaxActionDepth = 4;
// The engine's timer requests are clamped to this (a zero or negative one still yields).
constexpr Nanos kMaxTimer = std::chrono::hours(24);

Nanos to_nanos(Duration d) {
  if (d <= Duration{}) return Nanos{0};
  if (d >= Duration::seconds(86400)) return kMaxTimer;
  return Nanos{d.to_nanoseconds()};
}

const char* reason_text(core::engine::StepReason r) {
  switch (r) {
    case core::engine::StepReason::Disruption:
      return "counter disruption";
    case core::engine::StepReason::Reanchor:
      return "all sources agree the clock was off";
    case core::engine::StepReason::Leap:
      return "leap second";
  }
  return "?";
}

}  // namespace

Driver::Driver(runtime::Scheduler& sched, EnginePort& engine, std::vector<SourceEntry> sources,
               DriverHands hands, DriverOptions options)
    : sched_(sched), engine_(engine), hands_(std::move(hands)), options_(std::move(options)) {
  sources_.reserve(sources.size());
  for (auto& e : sources) {
    has_vmclock_source_ = has_vmclock_source_ || e.mode == SourceMode::Vmclock;
    Source s;
    s.entry = std::move(e);
    sources_.push_back(std::move(s));
  }
}

Driver::~Driver() {
  // Tasks first (they refer to the devices), then the devices.
  timer_ = {};
  for (auto& s : sources_) s.reader = {};
}

std::optional<std::string> Driver::open() {
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    Source& s = sources_[i];
    if (s.entry.mode == SourceMode::System || s.entry.mode == SourceMode::Vmclock || s.device) continue;
    auto port = hands_.open_port();
    if (!port)
      return fmt::format("source {}: cannot open a UDP socket: {}", source_name(s.entry),
                         runtime::describe(port.error()));
    auto dev = runtime::NetDevice::open(sched_, std::move(port).value());
    if (!dev) return fmt::format("source {}: {}", source_name(s.entry), runtime::describe(dev.error()));
    s.device = std::move(dev).value();
  }
  return std::nullopt;
}

void Driver::log(LogLevel level, const std::string& text) {
  if (hands_.log != nullptr) hands_.log->write(level, text);
}

runtime::Task<void> Driver::run() {
  started_ = hands_.kernel != nullptr ? hands_.kernel->realtime() : UtcTime{};
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    if (sources_[i].device) resolve(i);
  }
  engine_deadline_ = sched_.now();
  sources_deadline_ = sched_.now();
  perform(engine_.start(sched_.counter().read()), true);
  load_leap_file(true);
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    if (sources_[i].device) sources_[i].reader = sched_.spawn(reader_loop(i));
  }
  timer_ = sched_.spawn(timer_loop());
  for (;;) {
    co_await sched_.sleep_for(options_.leap_reload);
    load_leap_file(false);
  }
}

runtime::Task<void> Driver::timer_loop() {
  for (;;) {
    const MonoTime wake = std::min(engine_deadline_, sources_deadline_);
    timer_armed_ = wake;
    co_await sched_.sleep_until(wake);
    timer_armed_.reset();
    in_timer_ = true;
    if (sched_.now() >= engine_deadline_) {
      ++stats_.timer_calls;
      perform(engine_.on_timer(sched_.counter().read()), true);
    }
    if (sources_dirty_ || sched_.now() >= sources_deadline_) write_sources_page();
    in_timer_ = false;
  }
}

runtime::Task<void> Driver::reader_loop(std::size_t i) {
  std::vector<std::byte> buf(kReceiveBuffer);
  for (;;) {
    Source& s = sources_[i];
    auto r = co_await s.device->read(buf);
    if (!r) {
      ++stats_.receive_errors;
      if (r.error().code != runtime::NetErrc::Truncated) {
        log(LogLevel::Debug,
            fmt::format("source {}: receive failed: {}", source_name(s.entry), runtime::describe(r.error())));
        // A socket error that repeats must not spin the loop.
        co_await sched_.sleep_for(std::chrono::milliseconds(100));
      }
      continue;
    }
    if (!s.peer || r->peer != *s.peer) {
      ++stats_.foreign_dropped;
      continue;
    }
    ++stats_.received;
    if (hands_.before_exchange) hands_.before_exchange();
    // The host's line, fresh for the selection this exchange leads to.
    if (has_vmclock_source_) feed_vmclock(false, 0, true);
    const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(r->payload.data()),
                                         r->payload.size());
    perform(engine_.on_packet(i, bytes, r->rx_counter), false);
  }
}

void Driver::arm_engine_timer(Duration after, bool replace) {
  const MonoTime at = sched_.now() + to_nanos(after);
  engine_deadline_ = replace ? at : std::min(engine_deadline_, at);
  // The timer task sleeps until its old deadline; an earlier one needs a new sleeper. From
  // inside the timer task the loop recomputes its wake-up by itself.
  if (!in_timer_ && timer_armed_ && engine_deadline_ < *timer_armed_) {
    timer_armed_.reset();
    timer_ = sched_.spawn(timer_loop());  // dropping the old handle cancels the old sleeper
  }
}

void Driver::perform(Actions a, bool from_timer, int depth) {
  for (const auto& e : a.logs) log(e.level, e.text);
  // Re-resolve first: a send in the same Actions goes to the new address.
  for (std::size_t i : a.resolve) {
    if (i < sources_.size() && sources_[i].device) resolve(i);
  }
  for (const auto& s : a.sends) send(s);
  if (a.publish) publish(std::move(*a.publish));
  if (a.step) {
    ++stats_.steps;
    log(LogLevel::Notice,
        fmt::format("clock stepped ({}): step generation {}, by {:.6f} s", reason_text(a.step->reason),
                    a.step->generation, a.step->amount.to_seconds()));
    for (const auto& l : step_listeners_) l(*a.step);
  }
  arm_engine_timer(a.next_timer, from_timer && depth == 0);
  if (a.sources_changed) sources_dirty_ = true;
  if (a.sample_system) {
    if (hands_.sampler == nullptr) {
      log(LogLevel::Error, "the engine asked for a system clock sample, but no sampler is set up");
    } else if (depth < kMaxActionDepth) {
      ++stats_.system_samples;
      perform(engine_.on_system_sample(hands_.sampler->sample()), from_timer, depth + 1);
    }
  }
  if (a.sample_vmclock) feed_vmclock(from_timer, depth + 1, false);
  if (depth == 0 && sources_dirty_) write_sources_page();
}

void Driver::publish(core::PageInput input) {
  input.disruption_soon = host_soon_;
  input.disruption_imminent = host_imminent_;
  if (host_marker_) input.host_disruption_marker = host_marker_;
  hands_.page->publish(input);
  latest_ = std::move(input);
  ++stats_.publications;
}

void Driver::set_host_flags(uint64_t flags) {
  const bool soon = (flags & FFCLOCK_FLAG_DISRUPTION_SOON) != 0;
  const bool imminent = (flags & FFCLOCK_FLAG_DISRUPTION_IMMINENT) != 0;
  if (soon == host_soon_ && imminent == host_imminent_) return;
  host_soon_ = soon;
  host_imminent_ = imminent;
  log(LogLevel::Notice, imminent ? "the host announces an imminent disruption"
                        : soon   ? "the host announces a disruption soon"
                                 : "the host no longer announces a disruption");
  if (latest_) {
    core::PageInput again = *latest_;
    again.reference_step = false;  // the same clock: no new step
    publish(std::move(again));
  }
}

void Driver::feed_vmclock(bool from_timer, int depth, bool checked) {
  if (depth >= kMaxActionDepth) return;
  if (!checked && hands_.before_exchange) hands_.before_exchange();
  if (hands_.vmclock == nullptr) {
    perform(
        engine_.on_vmclock_unreadable(sched_.counter().read(), "no vmclock device (see the log at start)"),
        from_timer, depth);
    return;
  }
  auto snap = hands_.vmclock->read();
  // Read after the page: the engine ages the host's bound from here.
  const uint64_t now = sched_.counter().read();
  if (!snap) {
    perform(engine_.on_vmclock_unreadable(now, snap.error().message), from_timer, depth);
    return;
  }
  set_host_flags(snap->flags);
  ++stats_.vmclock_samples;
  perform(engine_.on_vmclock_sample(to_vmclock_sample(*snap, now)), from_timer, depth);
}

void Driver::send(const core::engine::SendRequest& req) {
  if (req.source >= sources_.size() || !sources_[req.source].device || !sources_[req.source].peer) {
    ++stats_.unaddressed;
    return;
  }
  Source& s = sources_[req.source];
  auto r = s.device->write(std::as_bytes(std::span(req.bytes)), *s.peer);
  if (!r) {
    ++stats_.send_failures;
    log(LogLevel::Debug,
        fmt::format("source {}: send failed: {}", source_name(s.entry), runtime::describe(r.error())));
    return;
  }
  ++stats_.sent;
  engine_.on_sent(req.source, req.nonce, *r);
}

void Driver::resolve(std::size_t i) {
  Source& s = sources_[i];
  if (!s.entry.host_port || hands_.resolver == nullptr) return;
  auto r = hands_.resolver->resolve(*s.entry.host_port);
  if (!r) {
    if (!s.resolve_failing) {
      log(LogLevel::Warning, fmt::format("source {}: cannot resolve {}: {}", source_name(s.entry),
                                         s.entry.host_port->host, r.error()));
    }
    s.resolve_failing = true;
    return;
  }
  s.resolve_failing = false;
  const std::vector<platform::Ipv4Endpoint>& all = *r;
  // A pool name moves to its next address on each re-resolution (the old one went quiet).
  platform::Ipv4Endpoint e = all.front();
  if (s.entry.mode == SourceMode::Pool) e = all[s.pool_cursor++ % all.size()];
  if (!s.peer || *s.peer != e) {
    // A numeric address says itself; a name's address is worth a line.
    if (!platform::parse_ipv4(s.entry.host_port->host)) {
      log(LogLevel::Info, fmt::format("source {}: address {}", source_name(s.entry), platform::to_string(e)));
    }
    s.peer = e;
    sources_dirty_ = true;
  }
}

void Driver::load_leap_file(bool first) {
  if (hands_.leap == nullptr) return;
  auto t = hands_.leap->load();
  if (!t) {
    const auto& e = t.error();
    std::string why(platform::to_string(e.code));
    if (e.code == platform::LeapLoadErrc::Invalid) {
      why += fmt::format(": {} on line {}", core::to_string(e.parse.code), e.parse.line);
    } else if (e.sys_errno != 0) {
      why += fmt::format(" (errno {})", e.sys_errno);
    }
    // One warning, not one a day: a machine without tzdata's list runs on the sources' LI.
    if (!leap_warned_ || leap_ok_) {
      log(LogLevel::Warning,
          fmt::format("leap file {}: {}; leap seconds come from the sources' leap indicators only",
                      hands_.leap_path, why));
    }
    leap_warned_ = true;
    leap_ok_ = false;
    return;
  }
  const core::LeapTable& table = *t;
  if (first || !leap_ok_) {
    const UtcTime now = hands_.kernel != nullptr ? hands_.kernel->realtime() : UtcTime{};
    log(LogLevel::Info,  // the engine warns about an expired table itself
        fmt::format("leap file {}: TAI-UTC {} s, {} {}", hands_.leap_path,
                    table.entries().back().tai_minus_utc, table.expired(now) ? "expired" : "expires",
                    core::format_rfc3339(table.expiry(), 0).substr(0, 10)));
  }
  leap_ok_ = true;
  perform(engine_.on_leap_table(table, sched_.counter().read()), false);
}

void Driver::disrupt(core::engine::DisruptionReason why) {
  perform(engine_.on_disruption(sched_.counter().read(), why), false);
}

void Driver::write_sources_page() {
  sources_dirty_ = false;
  sources_deadline_ = sched_.now() + options_.sources_refresh;
  if (!hands_.write_sources_page) return;
  SourcesPageInput in;
  in.written = hands_.kernel != nullptr ? hands_.kernel->realtime() : UtcTime{};
  in.pid = options_.pid;
  in.daemon_version = options_.daemon_version;
  in.started = started_;
  in.page = options_.page_path;
  in.summary = engine_.summary();
  in.counter_now = sched_.counter().read();
  in.nominal_hz = options_.nominal_hz;
  const std::size_t n = std::min(engine_.source_count(), sources_.size());
  for (std::size_t i = 0; i < n; ++i) {
    SourcesPageSource s;
    s.snapshot = engine_.source(i);
    if (sources_[i].peer) s.address = platform::to_string(*sources_[i].peer);
    in.sources.push_back(std::move(s));
  }
  if (hands_.server_stats) in.server = hands_.server_stats();
  if (auto err = hands_.write_sources_page(render_sources_page(in))) {
    log(LogLevel::Error, fmt::format("sources page: {}", *err));
    return;
  }
  ++stats_.sources_page_writes;
}

}  // namespace ffclock::daemon
