// SPDX-License-Identifier: BSD-2-Clause
#include "sim/scenario_loader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <optional>

#include "core/time/rfc3339.hpp"
#include "sim/input_file.hpp"

namespace ffclock::sim {

std::string ScenarioError::message() const {
  if (key.empty()) return file + ": " + reason;
  return file + ": " + key + ": " + reason;
}

const char* to_string(EventKind kind) {
  switch (kind) {
    case EventKind::LevelShift:
      return "level_shift";
    case EventKind::Loss:
      return "loss";
    case EventKind::ServerStep:
      return "server_step";
    case EventKind::Outage:
      return "outage";
    case EventKind::KissOfDeath:
      return "kiss_of_death";
    case EventKind::StratumChange:
      return "stratum_change";
    case EventKind::Leap:
      return "leap";
    case EventKind::PollChange:
      return "poll_change";
    case EventKind::FreqStep:
      return "freq_step";
    case EventKind::Suspend:
      return "suspend";
    case EventKind::Migration:
      return "migration";
  }
  return "?";
}

namespace {

// Thrown inside the loader only; load_scenario_file turns it into a ScenarioError.
struct KeyError {
  std::string key;
  std::string reason;
};

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string join(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

// Reads one TOML table, remembering which keys were consumed so that leftovers (typos)
// are reported.
class TableReader {
 public:
  TableReader(const toml::table* table, std::string path) : table_(table), path_(std::move(path)) {}

  bool has(std::string_view key) const { return table_ && table_->contains(key); }
  std::string key_path(std::string_view key) const { return join(path_, key); }

  const toml::node* node(std::string_view key) {
    used_.emplace_back(key);
    return table_ ? table_->get(key) : nullptr;
  }

  double number(std::string_view key, double fallback, double lo = -kInf, double hi = kInf) {
    const toml::node* n = node(key);
    if (!n) return fallback;
    double v = 0;
    if (const auto i = n->value_exact<int64_t>())
      v = static_cast<double>(*i);
    else if (const auto d = n->value_exact<double>())
      v = *d;
    else
      throw KeyError{key_path(key), "expected a number"};
    if (!(v >= lo) || !(v <= hi)) {
      throw KeyError{key_path(key), "value " + std::to_string(v) + " out of range [" + std::to_string(lo) +
                                        ", " + std::to_string(hi) + "]"};
    }
    return v;
  }

  double required_number(std::string_view key, double lo = -kInf, double hi = kInf) {
    if (!has(key)) throw KeyError{key_path(key), "required key is missing"};
    return number(key, 0, lo, hi);
  }

  int64_t integer(std::string_view key, int64_t fallback, int64_t lo, int64_t hi) {
    const toml::node* n = node(key);
    if (!n) return fallback;
    const auto i = n->value_exact<int64_t>();
    if (!i) throw KeyError{key_path(key), "expected an integer"};
    if (*i < lo || *i > hi) {
      throw KeyError{key_path(key), "value " + std::to_string(*i) + " out of range [" + std::to_string(lo) +
                                        ", " + std::to_string(hi) + "]"};
    }
    return *i;
  }

  std::string string(std::string_view key, std::string fallback) {
    const toml::node* n = node(key);
    if (!n) return fallback;
    const auto s = n->value_exact<std::string>();
    if (!s) throw KeyError{key_path(key), "expected a string"};
    return *s;
  }

  bool boolean(std::string_view key, bool fallback) {
    const toml::node* n = node(key);
    if (!n) return fallback;
    const auto b = n->value_exact<bool>();
    if (!b) throw KeyError{key_path(key), "expected true or false"};
    return *b;
  }

  template <class E>
  E choice(std::string_view key, E fallback, std::initializer_list<std::pair<const char*, E>> options) {
    const toml::node* n = node(key);
    if (!n) return fallback;
    const auto s = n->value_exact<std::string>();
    std::string allowed;
    for (const auto& [name, value] : options) {
      if (s && *s == name) return value;
      allowed += allowed.empty() ? name : std::string(", ") + name;
    }
    throw KeyError{key_path(key), "expected one of: " + allowed};
  }

  const toml::table* table(std::string_view key) {
    const toml::node* n = node(key);
    if (!n) return nullptr;
    if (!n->is_table()) throw KeyError{key_path(key), "expected a table"};
    return n->as_table();
  }

  const toml::array* array_of_tables(std::string_view key) {
    const toml::node* n = node(key);
    if (!n) return nullptr;
    if (!n->is_array_of_tables())
      throw KeyError{key_path(key), "expected an array of tables ([[" + key_path(key) + "]])"};
    return n->as_array();
  }

  // Every key of the table must have been read.
  void finish() const {
    if (!table_) return;
    for (const auto& [k, v] : *table_) {
      if (std::find(used_.begin(), used_.end(), k.str()) == used_.end()) {
        throw KeyError{key_path(k.str()), "unknown key"};
      }
    }
  }

 private:
  const toml::table* table_;
  std::string path_;
  std::vector<std::string> used_;
};

OscillatorModel read_oscillator(const toml::table* t) {
  TableReader r(t, "oscillator");
  OscillatorModel m;
  m.nominal_hz = r.number("nominal_hz", m.nominal_hz, 1e3, 1e11);
  m.skew_ppm = r.number("skew_ppm", m.skew_ppm, -1e4, 1e4);
  m.wander_ppb = r.number("wander_ppb", m.wander_ppb, 0, 1e4);
  m.temperature_ppm = r.number("temperature_ppm", m.temperature_ppm, -1e3, 1e3);
  m.temperature_period_s = r.number("temperature_period_s", m.temperature_period_s, 1, 1e9);
  m.temperature_phase_rad = r.number("temperature_phase_rad", m.temperature_phase_rad, -1e3, 1e3);
  m.counter_start = static_cast<uint64_t>(r.integer("counter_start", static_cast<int64_t>(m.counter_start), 0,
                                                    std::numeric_limits<int64_t>::max()));
  r.finish();
  return m;
}

PathModel read_path(const toml::table* t, const std::string& path) {
  TableReader r(t, path);
  PathModel m;
  m.min_s = r.number("min_s", m.min_s, 0, 10);
  m.queue = r.choice<QueueKind>("queue", m.queue,
                                {{"exponential", QueueKind::Exponential}, {"pareto", QueueKind::Pareto}});
  m.queue_mean_s = r.number("queue_mean_s", m.queue_mean_s, 0, 10);
  m.pareto_alpha = r.number("pareto_alpha", m.pareto_alpha, 1.01, 100);
  m.spike_prob = r.number("spike_prob", m.spike_prob, 0, 1);
  m.spike_mean_s = r.number("spike_mean_s", m.spike_mean_s, 0, 100);
  m.loss = r.number("loss", m.loss, 0, 1);
  if (const toml::array* a = r.array_of_tables("congestion")) {
    size_t i = 0;
    for (const toml::node& el : *a) {
      TableReader c(el.as_table(), path + ".congestion[" + std::to_string(i++) + "]");
      Congestion g;
      g.period_s = c.required_number("period_s", 1e-3, 1e9);
      g.start_s = c.number("start_s", 0, 0, g.period_s);
      g.duration_s = c.required_number("duration_s", 0, g.period_s);
      g.mean_s = c.required_number("mean_s", 0, 100);
      c.finish();
      m.congestion.push_back(g);
    }
  }
  r.finish();
  return m;
}

uint32_t refid_of(const std::string& s, const std::string& key) {
  if (s.size() > 4) throw KeyError{key, "a refid is at most 4 ASCII characters"};
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | (i < s.size() ? static_cast<uint8_t>(s[i]) : 0u);
  return v;
}

// [network] and [server] of the scenario (prefix "") or of one [[servers]] entry.
void read_server_setup(TableReader& r, const std::string& prefix, PathModel& forward, PathModel& backward,
                       ServerModel& server) {
  const toml::table* net = r.table("network");
  TableReader n(net, prefix + "network");
  const toml::table* both = n.table("both");
  const toml::table* fwd = n.table("forward");
  const toml::table* back = n.table("backward");
  if (both && (fwd || back))
    throw KeyError{prefix + "network.both",
                   "give either [network.both] or [network.forward] and [network.backward]"};
  if (both) {
    forward = backward = read_path(both, prefix + "network.both");
  } else {
    if (!fwd)
      throw KeyError{prefix + "network.forward", "required table is missing (or give [network.both])"};
    if (!back)
      throw KeyError{prefix + "network.backward", "required table is missing (or give [network.both])"};
    forward = read_path(fwd, prefix + "network.forward");
    backward = read_path(back, prefix + "network.backward");
  }
  n.finish();

  TableReader sv(r.table("server"), prefix + "server");
  server.stratum = static_cast<uint8_t>(sv.integer("stratum", server.stratum, 1, 15));
  server.refid = refid_of(sv.string("refid", "GPS"), prefix + "server.refid");
  server.processing_s = sv.number("processing_s", server.processing_s, 0, 1);
  server.transmit_fuzz_s = sv.number("transmit_fuzz_s", server.transmit_fuzz_s, 0, 1e-3);
  sv.finish();
}

Event read_event(const toml::table* t, const std::string& path) {
  TableReader r(t, path);
  Event e;
  e.kind = r.choice<EventKind>("type", e.kind,
                               {{"level_shift", EventKind::LevelShift},
                                {"loss", EventKind::Loss},
                                {"server_step", EventKind::ServerStep},
                                {"outage", EventKind::Outage},
                                {"kiss_of_death", EventKind::KissOfDeath},
                                {"stratum_change", EventKind::StratumChange},
                                {"leap", EventKind::Leap},
                                {"poll_change", EventKind::PollChange},
                                {"freq_step", EventKind::FreqStep},
                                {"suspend", EventKind::Suspend},
                                {"migration", EventKind::Migration}});
  if (!r.has("type")) throw KeyError{r.key_path("type"), "required key is missing"};
  e.at_s = r.required_number("at_s", 0, 1e10);
  e.server = static_cast<int>(r.integer("server", 0, 0, 15));
  switch (e.kind) {
    case EventKind::LevelShift:
      e.value = r.required_number("delta_s", -10, 10);
      e.duration_s = r.number("duration_s", 0, 0, 1e10);
      e.direction = r.choice<Direction>(
          "direction", Direction::Both,
          {{"both", Direction::Both}, {"forward", Direction::Forward}, {"backward", Direction::Backward}});
      break;
    case EventKind::Loss:
      e.value = r.required_number("probability", 0, 1);
      e.duration_s = r.number("duration_s", 0, 0, 1e10);
      break;
    case EventKind::ServerStep:
      e.value = r.required_number("offset_s", -1e9, 1e9);
      e.duration_s = r.number("duration_s", 0, 0, 1e10);
      break;
    case EventKind::Outage:
    case EventKind::KissOfDeath:
      e.duration_s = r.required_number("duration_s", 1e-3, 1e10);
      break;
    case EventKind::StratumChange:
      e.stratum = static_cast<uint8_t>(r.integer("stratum", 2, 1, 15));
      e.refid = refid_of(r.string("refid", "SIM2"), r.key_path("refid"));
      break;
    case EventKind::Leap:
      e.value = r.boolean("insert", true) ? 1 : -1;
      e.announce_s = r.number("announce_s", e.announce_s, 0, 1e7);
      e.announce = r.choice<LeapAnnounce>("announce", LeapAnnounce::Indicator,
                                          {{"indicator", LeapAnnounce::Indicator},
                                           {"file", LeapAnnounce::File},
                                           {"both", LeapAnnounce::Both}});
      break;
    case EventKind::PollChange:
      e.poll_s = static_cast<int>(r.integer("poll_s", 0, 1, 65536));
      if (!r.has("poll_s")) throw KeyError{r.key_path("poll_s"), "required key is missing"};
      break;
    case EventKind::FreqStep:
      e.value = r.required_number("ppm", -1e4, 1e4);
      break;
    case EventKind::Suspend:
      e.duration_s = r.required_number("duration_s", 1e-3, 1e10);
      e.counter =
          r.choice<SuspendCounter>("counter", SuspendCounter::Stops,
                                   {{"stops", SuspendCounter::Stops}, {"runs", SuspendCounter::Runs}});
      e.reset = r.boolean("reset", true);
      break;
    case EventKind::Migration:
      e.jump_s = r.number("counter_jump_s", 0, -1e6, 1e9);
      e.value = r.number("freq_step_ppm", 0, -1e4, 1e4);
      e.signalled = r.boolean("signalled", true);
      break;
  }
  r.finish();
  return e;
}

Scenario read_scenario(const toml::table& root) {
  TableReader r(&root, "");
  Scenario s;
  r.node("base");  // consumed by the loader before this point
  s.name = r.string("name", "");
  s.description = r.string("description", "");
  s.seed = static_cast<uint64_t>(r.integer("seed", 1, 0, std::numeric_limits<int64_t>::max()));
  s.oscillator = read_oscillator(r.table("oscillator"));

  read_server_setup(r, "", s.forward, s.backward, s.server);
  if (const toml::array* a = r.array_of_tables("servers")) {
    size_t i = 0;
    for (const toml::node& el : *a) {
      const std::string path = "servers[" + std::to_string(i++) + "]";
      TableReader sr(el.as_table(), path);
      ServerSetup setup;
      read_server_setup(sr, path + ".", setup.forward, setup.backward, setup.server);
      sr.finish();
      s.more_servers.push_back(setup);
    }
  }

  TableReader cl(r.table("client"), "client");
  s.client.poll_s = static_cast<int>(cl.integer("poll_s", s.client.poll_s, 1, 65536));
  s.client.maxpoll_s = static_cast<int>(cl.integer("maxpoll_s", s.client.maxpoll_s, 0, 65536));
  if (s.client.maxpoll_s != 0 && s.client.maxpoll_s < s.client.poll_s)
    throw KeyError{cl.key_path("maxpoll_s"), "must be 0 or at least poll_s"};
  s.client.burst = static_cast<int>(cl.integer("burst", s.client.burst, 0, 1000));
  s.client.burst_spacing_s = cl.number("burst_spacing_s", s.client.burst_spacing_s, 0.001, 65536);
  s.client.initial_offset_s = cl.number("initial_offset_s", s.client.initial_offset_s, -1e9, 1e9);
  if (cl.has("warm_start_error_ppm"))
    s.client.warm_start_error_ppm = cl.number("warm_start_error_ppm", 0, -1e3, 1e3);
  s.client.warm_start_bound_ppm = cl.number("warm_start_bound_ppm", s.client.warm_start_bound_ppm, 1e-6, 1e3);
  if (cl.has("start")) {
    const std::string text = cl.string("start", "");
    const auto t = core::parse_rfc3339(text);
    if (!t) throw KeyError{"client.start", "not an RFC 3339 time: \"" + text + "\""};
    s.client.start = *t;
  }
  cl.finish();

  // Optional estimator parameters, so that a scenario can try other settings without a rebuild.
  TableReader es(r.table("estimator"), "estimator");
  core::EstimatorConfig& c = s.estimator;
  c.ts_limit_s = es.number("ts_limit_s", c.ts_limit_s, 1e-9, 1);
  c.skm_scale_s = es.number("skm_scale_s", c.skm_scale_s, 1, 1e7);
  c.rate_err_bound = es.number("rate_err_bound", c.rate_err_bound, 1e-12, 1e-3);
  c.top_window_s = es.number("top_window_s", c.top_window_s, 1, 1e9);
  c.shift_window_s = es.number("shift_window_s", c.shift_window_s, 1, 1e9);
  c.shift_window_min = static_cast<int>(es.integer("shift_window_min", c.shift_window_min, 2, 100000));
  c.warmup_window_min = static_cast<int>(es.integer("warmup_window_min", c.warmup_window_min, 1, 100000));
  c.window_floor_span_s = es.number("window_floor_span_s", c.window_floor_span_s, 1, 1e9);
  c.window_floor_min_stamps =
      static_cast<int>(es.integer("window_floor_min_stamps", c.window_floor_min_stamps, 1, 100000));
  c.shift_quick_stamps = static_cast<int>(es.integer("shift_quick_stamps", c.shift_quick_stamps, 0, 100000));
  c.shift_quick_ratio = es.number("shift_quick_ratio", c.shift_quick_ratio, 0, 1e6);
  c.fit_window_min = static_cast<int>(es.integer("fit_window_min", c.fit_window_min, 2, 4096));
  c.fit_window_max = static_cast<int>(es.integer("fit_window_max", c.fit_window_max, 2, 4096));
  if (c.fit_window_max < c.fit_window_min)
    throw KeyError{"estimator.fit_window_max", "must not be below fit_window_min"};
  c.offset_weight_floor_s = es.number("offset_weight_floor_s", c.offset_weight_floor_s, 1e-12, 1);
  c.offset_cut_ratio = es.number("offset_cut_ratio", c.offset_cut_ratio, 0, 1e6);
  c.offset_soft_ratio = es.number("offset_soft_ratio", c.offset_soft_ratio, 0, 1e6);
  c.typical_error_gain = es.number("typical_error_gain", c.typical_error_gain, 1e-6, 1);
  c.typical_error_median_stamps =
      static_cast<int>(es.integer("typical_error_median_stamps", c.typical_error_median_stamps, 0,
                                  core::EstimatorConfig::kMaxMedianStamps));
  c.slope_prior_sigma = es.number("slope_prior_sigma", c.slope_prior_sigma, 0, 1e-3);
  c.window_score_memory = es.number("window_score_memory", c.window_score_memory, 1, 1e6);
  c.window_mix_sharpness = es.number("window_mix_sharpness", c.window_mix_sharpness, 0, 1e6);
  c.difference_clock_uses_local_period =
      es.boolean("difference_clock_uses_local_period", c.difference_clock_uses_local_period);
  c.rate_bound_margin = es.number("rate_bound_margin", c.rate_bound_margin, 1, 100);
  c.rate_evidence_z = es.number("rate_evidence_z", c.rate_evidence_z, 0, 1e3);
  c.rate_evidence_min_stamps =
      static_cast<int>(es.integer("rate_evidence_min_stamps", c.rate_evidence_min_stamps, 2, 4096));
  c.rate_memory_s = es.number("rate_memory_s", c.rate_memory_s, 0, 1e9);
  c.rate_change_z = es.number("rate_change_z", c.rate_change_z, 0, 1e3);
  c.change_point_z = es.number("change_point_z", c.change_point_z, 0, 1e3);
  c.innovation_memory = es.number("innovation_memory", c.innovation_memory, 1, 1e6);
  c.innovation_select_ratio = es.number("innovation_select_ratio", c.innovation_select_ratio, 0, 1e6);
  c.innovation_age_spread = es.number("innovation_age_spread", c.innovation_age_spread, 0, 1e6);
  c.kalman_candidates = static_cast<int>(es.integer("kalman_candidates", c.kalman_candidates, 0, 8));
  c.kalman_wander_min = es.number("kalman_wander_min", c.kalman_wander_min, 1e-15, 1e-3);
  c.kalman_wander_step = es.number("kalman_wander_step", c.kalman_wander_step, 1, 1e6);
  c.kalman_scale_memory = es.number("kalman_scale_memory", c.kalman_scale_memory, 1, 1e6);
  c.kalman_scale_memory_s = es.number("kalman_scale_memory_s", c.kalman_scale_memory_s, 1, 1e9);
  c.warmup_innovation_memory = es.number("warmup_innovation_memory", c.warmup_innovation_memory, 1, 1e6);
  c.holdover_snapshot_s = es.number("holdover_snapshot_s", c.holdover_snapshot_s, 1, 1e5);
  c.holdover_memory_s = es.number("holdover_memory_s", c.holdover_memory_s, 1, 1e8);
  c.warmup_innovation_max_ratio =
      es.number("warmup_innovation_max_ratio", c.warmup_innovation_max_ratio, 0, 1e6);
  c.interval_stamps = static_cast<int>(es.integer("interval_stamps", c.interval_stamps, 0, 4096));
  c.interval_slack_s = es.number("interval_slack_s", c.interval_slack_s, 0, 1);
  c.interval_rate_z = es.number("interval_rate_z", c.interval_rate_z, 0, 1e3);
  c.interval_wander = es.number("interval_wander", c.interval_wander, 0, 1e-3);
  es.finish();

  TableReader me(r.table("metrics"), "metrics");
  s.metrics.warmup_s = me.number("warmup_s", s.metrics.warmup_s, 0, 1e9);
  s.metrics.duration_s = me.number("duration_s", s.metrics.duration_s, 1, 1e9);
  s.metrics.convergence_threshold_us =
      me.number("convergence_threshold_us", s.metrics.convergence_threshold_us, 1e-3, 1e12);
  me.finish();

  if (const toml::array* a = r.array_of_tables("events")) {
    size_t i = 0;
    for (const toml::node& el : *a)
      s.events.push_back(read_event(el.as_table(), "events[" + std::to_string(i++) + "]"));
  }
  std::stable_sort(s.events.begin(), s.events.end(),
                   [](const Event& x, const Event& y) { return x.at_s < y.at_s; });
  int suspends = 0;
  for (const Event& e : s.events) {
    if (e.kind == EventKind::Suspend) ++suspends;
  }
  if (suspends > 1) throw KeyError{"events", "at most one suspend event per scenario"};
  r.finish();
  return s;
}

// Keys of `over` replace those of `base`; tables merge recursively, arrays are replaced.
void merge_into(toml::table& base, const toml::table& over) {
  for (const auto& [k, v] : over) {
    if (v.is_table() && base.contains(k) && base.get(k)->is_table()) {
      merge_into(*base.get(k)->as_table(), *v.as_table());
    } else {
      base.insert_or_assign(k, v);
    }
  }
}

// Parses `text`, resolving a `base` chain; `error_file` tracks the file being read so an
// error names the right one.
toml::table load_table(std::string_view text, const std::string& source, const std::string& base_dir,
                       int depth, std::string& error_file) {
  error_file = source;
  toml::table t;
  try {
    t = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw KeyError{"", "line " + std::to_string(where.line) + ", column " + std::to_string(where.column) +
                           ": " + std::string(e.description())};
  }
  const toml::node* b = t.get("base");
  if (!b) return t;
  const auto name = b->value_exact<std::string>();
  if (!name) throw KeyError{"base", "expected a string (path of the base scenario)"};
  if (depth > 8) throw KeyError{"base", "base scenarios nest too deeply"};
  const std::filesystem::path base_path = std::filesystem::path(base_dir) / *name;
  const auto base_text = read_input_file(base_path.string());
  if (!base_text)
    throw KeyError{"base", "cannot read the base scenario " + base_path.string() + ": " + base_text.error()};
  toml::table base =
      load_table(*base_text, base_path.string(), base_path.parent_path().string(), depth + 1, error_file);
  error_file = source;
  base.erase("base");
  t.erase("base");
  merge_into(base, t);
  return base;
}

}  // namespace

core::Result<Scenario, ScenarioError> parse_scenario(std::string_view text, const std::string& source,
                                                     const std::string& base_dir) {
  std::string error_file = source;
  try {
    const toml::table t = load_table(text, source, base_dir, 0, error_file);
    error_file = source;
    Scenario s = read_scenario(t);
    return s;
  } catch (const KeyError& e) {
    return core::Unexpected{ScenarioError{error_file, e.key, e.reason}};
  }
}

core::Result<Scenario, ScenarioError> load_scenario_file(const std::string& path) {
  const auto text = read_input_file(path);
  if (!text) return core::Unexpected{ScenarioError{path, "", text.error()}};
  const std::filesystem::path p(path);
  auto s = parse_scenario(*text, path, p.has_parent_path() ? p.parent_path().string() : ".");
  if (s && s->name.empty()) {
    Scenario named = *s;
    named.name = p.stem().string();
    return named;
  }
  return s;
}

}  // namespace ffclock::sim
