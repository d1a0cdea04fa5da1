// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/daemon_config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>

#include "core/time/duration_text.hpp"
#include "daemon/toml_type_name.hpp"
#include "platform/read_text_file.hpp"

namespace ffclock::daemon {
namespace {

using core::engine::SourceMode;

// Thrown inside the parser only; parse_daemon_config turns it into a ConfigError value.
struct Failure {
  std::string key;
  uint32_t line;
  std::string message;
};

uint32_t line_of(const toml::node& n) { return static_cast<uint32_t>(n.source().begin.line); }

// Reads one table: each key once, by type, and at the end refuses any key nobody read.
class Table {
 public:
  Table(const toml::table& t, std::string prefix) : t_(t), prefix_(std::move(prefix)) {}

  std::string key(std::string_view k) const {
    return prefix_.empty() ? std::string(k) : prefix_ + "." + std::string(k);
  }

  const toml::node* get(std::string_view k) {
    known_.emplace_back(k);
    return t_.get(k);
  }
  std::optional<std::string> string(std::string_view k) {
    const toml::node* n = get(k);
    if (n == nullptr) return std::nullopt;
    if (!n->is_string())
      throw Failure{key(k), line_of(*n), fmt::format("must be a string, not {}", type_name(*n))};
    return std::string(*n->value<std::string>());
  }
  std::optional<std::pair<int64_t, uint32_t>> integer(std::string_view k) {
    const toml::node* n = get(k);
    if (n == nullptr) return std::nullopt;
    if (!n->is_integer())
      throw Failure{key(k), line_of(*n), fmt::format("must be an integer, not {}", type_name(*n))};
    return std::pair{*n->value<int64_t>(), line_of(*n)};
  }
  std::optional<bool> boolean(std::string_view k) {
    const toml::node* n = get(k);
    if (n == nullptr) return std::nullopt;
    if (!n->is_boolean())
      throw Failure{key(k), line_of(*n), fmt::format("must be true or false, not {}", type_name(*n))};
    return *n->value<bool>();
  }
  uint32_t line(std::string_view k) const {
    const toml::node* n = t_.get(k);
    return n != nullptr ? line_of(*n) : line_of(t_);
  }
  void refuse_unknown() const {
    for (const auto& [k, v] : t_) {
      bool ok = false;
      for (const auto& known : known_) ok = ok || known == k.str();
      if (!ok) {
        throw Failure{key(k.str()), static_cast<uint32_t>(k.source().begin.line),
                      v.is_table() || v.is_array_of_tables() ? "unknown table" : "unknown key"};
      }
    }
  }

  static std::string type_name(const toml::node& n) { return toml_type_name(n.type()); }

 private:
  const toml::table& t_;
  std::string prefix_;
  std::vector<std::string> known_;
};

const toml::table& as_table(const toml::node& n, const std::string& key) {
  if (!n.is_table())
    throw Failure{key, line_of(n), fmt::format("must be a table, not {}", Table::type_name(n))};
  return *n.as_table();
}

void read_clock(const toml::table& t, DaemonConfig& c) {
  Table r(t, "clock");
  if (auto v = r.string("counter")) {
    if (*v != "auto" && *v != "tsc" && *v != "cntvct" && *v != "monotonic_raw") {
      throw Failure{"clock.counter", r.line("counter"),
                    fmt::format("unknown counter \"{}\" (auto, tsc, cntvct, monotonic_raw)", *v)};
    }
    c.counter = *v;
  }
  auto path = [&](std::string_view k, std::string& out, bool may_be_empty) {
    if (auto v = r.string(k)) {
      if (v->empty() && !may_be_empty) throw Failure{r.key(k), r.line(k), "must not be empty"};
      if (v->find('\0') != std::string::npos) throw Failure{r.key(k), r.line(k), "contains a NUL byte"};
      out = *v;
    }
  };
  path("page", c.page, false);
  path("sources-page", c.sources_page, false);
  path("leap-file", c.leap_file, true);
  path("state-file", c.state_file, true);
  r.refuse_unknown();
}

void read_vmclock(const toml::table& t, DaemonConfig& c) {
  Table r(t, "vmclock");
  if (auto v = r.string("device")) {
    if (v->empty() || v->find('\0') != std::string::npos)
      throw Failure{"vmclock.device", r.line("device"), "must be a path"};
    c.vmclock_device = *v;
  }
  r.refuse_unknown();
}

void read_kernel(const toml::table& t, DaemonConfig& c) {
  Table r(t, "kernel");
  if (auto v = r.boolean("discipline")) c.kernel.discipline = *v;
  if (auto v = r.boolean("rtc")) c.kernel.rtc = *v;
  if (auto v = r.string("step-threshold")) {
    const auto d = core::parse_duration(*v);
    if (!d) {
      throw Failure{"kernel.step-threshold", r.line("step-threshold"),
                    fmt::format("\"{}\": {} (a duration such as \"0.5s\" or \"128ms\")", *v,
                                core::to_string(d.error()))};
    }
    if (*d == Duration::zero())
      throw Failure{"kernel.step-threshold", r.line("step-threshold"), "must be above zero"};
    c.kernel.step_threshold = *d;
  }
  if (c.kernel.rtc && !c.kernel.discipline) {
    throw Failure{"kernel.rtc", r.line("rtc"),
                  "needs discipline = true (the kernel writes the RTC from the clock ffclockd disciplines)"};
  }
  r.refuse_unknown();
}

std::vector<core::server::Cidr> read_cidrs(Table& r, std::string_view k) {
  std::vector<core::server::Cidr> out;
  const toml::node* n = r.get(k);
  if (n == nullptr) return out;
  if (!n->is_array()) throw Failure{r.key(k), line_of(*n), "must be an array of \"a.b.c.d/n\" strings"};
  for (const toml::node& el : *n->as_array()) {
    const auto* text = el.as_string();
    const auto cidr = text ? core::server::parse_cidr(text->get()) : std::nullopt;
    if (!cidr)
      throw Failure{r.key(k), line_of(el), "each entry must be an IPv4 address or network, \"a.b.c.d/n\""};
    out.push_back(*cidr);
  }
  return out;
}

ServerEntry read_server(const toml::table& t, const std::string& prefix) {
  Table r(t, prefix);
  ServerEntry s;
  const auto listen = r.string("listen");
  if (!listen) throw Failure{r.key("listen"), line_of(t), "missing (a.b.c.d:port to answer NTP requests on)"};
  const auto hp = platform::parse_host_port(*listen);
  const auto ip = hp ? core::server::parse_cidr(hp->host) : std::nullopt;
  if (!hp || !ip || ip->prefix != 32 || hp->port == 0) {
    throw Failure{r.key("listen"), r.line("listen"),
                  fmt::format("\"{}\" is not an IPv4 address and port", *listen)};
  }
  s.listen = platform::Ipv4Endpoint{ip->network, hp->port};
  if (auto v = r.boolean("ratelimit")) s.ratelimit = *v;
  s.allow = read_cidrs(r, "allow");
  s.deny = read_cidrs(r, "deny");
  if (auto v = r.string("io")) {
    if (*v == "batch")
      s.batched = true;
    else if (*v == "simple")
      s.batched = false;
    else
      throw Failure{r.key("io"), r.line("io"), fmt::format("unknown io \"{}\" (batch, simple)", *v)};
  }
  if (auto v = r.integer("threads")) {
    if (v->first < 1 || v->first > kMaxServerThreads)
      throw Failure{r.key("threads"), v->second, fmt::format("must be 1 to {}", kMaxServerThreads)};
    s.threads = static_cast<int>(v->first);
    if (s.threads > 1 && !s.batched) {
      throw Failure{r.key("threads"), v->second,
                    "more than 1 needs io = \"batch\" (serving threads are not simulation-compatible)"};
    }
  }
  r.refuse_unknown();
  return s;
}

void read_log(const toml::table& t, DaemonConfig& c) {
  Table r(t, "log");
  if (auto v = r.string("level")) {
    using core::engine::LogLevel;
    if (*v == "error")
      c.log_level = LogLevel::Error;
    else if (*v == "warning")
      c.log_level = LogLevel::Warning;
    else if (*v == "notice")
      c.log_level = LogLevel::Notice;
    else if (*v == "info")
      c.log_level = LogLevel::Info;
    else if (*v == "debug")
      c.log_level = LogLevel::Debug;
    else
      throw Failure{"log.level", r.line("level"),
                    fmt::format("unknown level \"{}\" (error, warning, notice, info, debug)", *v)};
  }
  r.refuse_unknown();
}

SourceEntry read_source(const toml::table& t, const std::string& prefix) {
  Table r(t, prefix);
  SourceEntry s;
  const auto mode = r.string("mode");
  if (!mode) throw Failure{r.key("mode"), line_of(t), "missing (server, pool, system or vmclock)"};
  if (*mode == "server")
    s.mode = SourceMode::Server;
  else if (*mode == "pool")
    s.mode = SourceMode::Pool;
  else if (*mode == "system")
    s.mode = SourceMode::System;
  else if (*mode == "vmclock")
    s.mode = SourceMode::Vmclock;
  else
    throw Failure{r.key("mode"), r.line("mode"),
                  fmt::format("unknown mode \"{}\" (server, pool, system, vmclock)", *mode)};
  const bool local = s.mode == SourceMode::System || s.mode == SourceMode::Vmclock;

  if (auto d = r.string("device")) {
    if (s.mode != SourceMode::Vmclock)
      throw Failure{r.key("device"), r.line("device"), "only a vmclock source has a device"};
    if (d->empty() || d->find('\0') != std::string::npos)
      throw Failure{r.key("device"), r.line("device"), "must be a path"};
    s.device = *d;
  }
  if (auto a = r.string("address")) {
    if (local) {
      throw Failure{r.key("address"), r.line("address"), fmt::format("a {} source has no address", *mode)};
    }
    s.host_port = platform::parse_host_port(*a);
    if (!s.host_port) {
      throw Failure{r.key("address"), r.line("address"),
                    fmt::format("\"{}\" is not host[:port] (an IPv4 address or a name, port 1-65535)", *a)};
    }
    s.address = *a;
  } else if (!local) {
    throw Failure{r.key("address"), line_of(t),
                  fmt::format("missing (a {} source needs host[:port])", *mode)};
  }

  auto poll = [&](std::string_view k, int& out) {
    if (auto v = r.integer(k)) {
      if (v->first < kMinPollLimit || v->first > kMaxPollLimit) {
        throw Failure{
            r.key(k), v->second,
            fmt::format("{} is out of range ({}..{}, log2 seconds)", v->first, kMinPollLimit, kMaxPollLimit)};
      }
      out = static_cast<int>(v->first);
    }
  };
  if (s.mode == SourceMode::Vmclock) {
    // The host's page is read at least once a second: polls of 1 s or faster only.
    s.minpoll = 0;
    s.maxpoll = 0;
  }
  poll("minpoll", s.minpoll);
  poll("maxpoll", s.maxpoll);
  if (s.mode == SourceMode::Vmclock) {
    for (std::string_view k : {"minpoll", "maxpoll"}) {
      if ((k == "minpoll" ? s.minpoll : s.maxpoll) > 0)
        throw Failure{r.key(k), r.line(k), "a vmclock source is read at least once a second (at most 0)"};
    }
  }
  if (s.minpoll > s.maxpoll) {
    const bool has_max = t.get("maxpoll") != nullptr;
    throw Failure{r.key(has_max ? "maxpoll" : "minpoll"), r.line(has_max ? "maxpoll" : "minpoll"),
                  fmt::format("minpoll {} is above maxpoll {}", s.minpoll, s.maxpoll)};
  }
  if (auto v = r.boolean("iburst")) s.iburst = *v;
  r.refuse_unknown();
  return s;
}

DaemonConfig read_root(const toml::table& root) {
  DaemonConfig c;
  Table r(root, "");
  if (const toml::node* n = r.get("clock")) read_clock(as_table(*n, "clock"), c);
  if (const toml::node* n = r.get("log")) read_log(as_table(*n, "log"), c);
  if (const toml::node* n = r.get("vmclock")) read_vmclock(as_table(*n, "vmclock"), c);
  if (const toml::node* n = r.get("kernel")) read_kernel(as_table(*n, "kernel"), c);
  if (const toml::node* n = r.get("server")) {
    if (!n->is_array_of_tables())
      throw Failure{"server", line_of(*n), "must be an array of tables ([[server]])"};
    std::size_t i = 0;
    for (const toml::node& el : *n->as_array()) {
      const std::string prefix = fmt::format("server[{}]", i++);
      c.servers.push_back(read_server(as_table(el, prefix), prefix));
    }
  }
  if (const toml::node* n = r.get("source")) {
    if (!n->is_array_of_tables()) {
      throw Failure{"source", line_of(*n), "must be an array of tables ([[source]])"};
    }
    std::size_t i = 0;
    uint32_t system_line = 0;
    uint32_t vmclock_line = 0;
    for (const toml::node& el : *n->as_array()) {
      const std::string prefix = fmt::format("source[{}]", i++);
      SourceEntry s = read_source(as_table(el, prefix), prefix);
      if (s.mode == SourceMode::System || s.mode == SourceMode::Vmclock) {
        uint32_t& first = s.mode == SourceMode::System ? system_line : vmclock_line;
        if (first != 0) {
          throw Failure{
              prefix + ".mode", line_of(el),
              fmt::format("a second {} source (the first is on line {})", to_string(s.mode), first)};
        }
        first = line_of(el);
      }
      if (s.mode == SourceMode::Vmclock) {
        // One device: the source's own, or [vmclock] device; both must name the same.
        if (!s.device.empty() && !c.vmclock_device.empty() && s.device != c.vmclock_device) {
          throw Failure{prefix + ".device", line_of(el),
                        fmt::format("\"{}\" is not [vmclock] device \"{}\"", s.device, c.vmclock_device)};
        }
        if (s.device.empty() && c.vmclock_device.empty()) {
          throw Failure{prefix + ".device", line_of(el),
                        "missing (a vmclock source reads `device`, or [vmclock] device)"};
        }
        if (!s.device.empty()) c.vmclock_device = s.device;
      }
      c.sources.push_back(std::move(s));
    }
  }
  r.refuse_unknown();
  if (c.sources.empty())
    c.sources.push_back(
        SourceEntry{SourceMode::System, "", std::nullopt, kDefaultMinpoll, kDefaultMaxpoll, true, ""});
  return c;
}

}  // namespace

std::string describe(const ConfigError& e) {
  std::string s = e.file;
  if (e.line != 0) s += fmt::format(":{}", e.line);
  s += ": ";
  if (!e.key.empty()) s += fmt::format("key '{}': ", e.key);
  return s + e.message;
}

core::Result<DaemonConfig, ConfigError> parse_daemon_config(std::string_view text, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    return core::Unexpected{ConfigError{file, "", static_cast<uint32_t>(e.source().begin.line),
                                        fmt::format("TOML syntax: {}", e.description())}};
  }
  try {
    return read_root(root);
  } catch (const Failure& f) {
    return core::Unexpected{ConfigError{file, f.key, f.line, f.message}};
  }
}

core::Result<DaemonConfig, ConfigError> load_daemon_config(const std::string& file) {
  auto text = platform::read_text_file(file, 1 << 20);
  if (!text) {
    // FileError's message starts with the path, which describe() already prints.
    std::string why = text.error().message();
    if (why.rfind(file + ": ", 0) == 0) why.erase(0, file.size() + 2);
    return core::Unexpected{ConfigError{file, "", 0, why}};
  }
  return parse_daemon_config(*text, file);
}

const char* to_string(SourceMode m) {
  switch (m) {
    case SourceMode::Server:
      return "server";
    case SourceMode::Pool:
      return "pool";
    case SourceMode::System:
      return "system";
    case SourceMode::Vmclock:
      return "vmclock";
  }
  return "?";
}

std::string source_name(const SourceEntry& s) {
  if (s.mode == SourceMode::System || s.mode == SourceMode::Vmclock) return to_string(s.mode);
  return s.address;
}

core::engine::EngineConfig to_engine_config(const DaemonConfig& config, const platform::CounterInfo& counter,
                                            UtcTime start_hint, uint64_t seed) {
  core::engine::EngineConfig e;
  for (const SourceEntry& s : config.sources) {
    core::engine::SourceConfig sc;
    sc.name = source_name(s);
    sc.mode = s.mode;
    sc.minpoll = s.minpoll;
    sc.maxpoll = s.maxpoll;
    sc.iburst = s.iburst;
    e.sources.push_back(std::move(sc));
  }
  // Start bursts: chrony's iburst spacing, min(2 s, poll / 4). Only a configured minpoll
  // below 3 (a server the user runs close by) makes it shorter than the engine's 2 s.
  for (const SourceEntry& s : config.sources) {
    if (s.mode == SourceMode::System || s.mode == SourceMode::Vmclock) continue;
    const Duration quarter_poll = Duration::from_seconds(std::ldexp(1.0, s.minpoll) / 4);
    e.burst_spacing = std::min(e.burst_spacing, quarter_poll);
  }
  e.nominal_hz = counter.nominal_hz != 0 ? counter.nominal_hz : 1'000'000'000;
  e.counter_id = static_cast<uint8_t>(counter.kind);
  e.estimator.nominal_period_s = 1.0L / static_cast<long double>(e.nominal_hz);
  e.start_hint = start_hint;
  e.rng_seed = seed;
  return e;
}

}  // namespace ffclock::daemon
