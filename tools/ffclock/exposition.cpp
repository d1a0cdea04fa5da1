// SPDX-License-Identifier: BSD-2-Clause
// Prometheus text exposition (see exposition.hpp).
#include "exposition.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace ffclock::tool {

std::string escape_label_value(const std::string& value) {
  std::string out;
  for (char ch : value) {
    if (ch == '\\') {
      out += "\\\\";
    } else if (ch == '"') {
      out += "\\\"";
    } else if (ch == '\n') {
      out += "\\n";
    } else {
      out += ch;
    }
  }
  return out;
}

std::string format_sample_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15)
    return fmt::format("{}", static_cast<int64_t>(value));
  return fmt::format("{}", value);  // shortest round-trip form, e.g. 1.25e-05
}

namespace {

std::string help_escape(const std::string& help) {
  std::string out;
  for (char ch : help) {
    if (ch == '\\') {
      out += "\\\\";
    } else if (ch == '\n') {
      out += "\\n";
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

void Exposition::family(const std::string& name, Type type, const std::string& help) {
  if (index_.count(name) != 0) return;
  index_[name] = families_.size();
  families_.push_back(Family{name, type, help, {}});
}

void Exposition::sample(const std::string& name, const Labels& labels, double value) {
  const auto it = index_.find(name);
  if (it == index_.end()) throw std::logic_error("metric family not declared: " + name);
  families_[it->second].samples.push_back(Sample{labels, value});
}

std::string Exposition::text() const {
  std::string out;
  for (const Family& f : families_) {
    if (f.samples.empty()) continue;
    out += fmt::format("# HELP {} {}\n", f.name, help_escape(f.help));
    out += fmt::format("# TYPE {} {}\n", f.name, f.type == Type::Counter ? "counter" : "gauge");
    for (const Sample& s : f.samples) {
      out += f.name;
      if (!s.labels.empty()) {
        out += '{';
        for (size_t i = 0; i < s.labels.size(); ++i) {
          out += fmt::format("{}{}=\"{}\"", i ? "," : "", s.labels[i].first,
                             escape_label_value(s.labels[i].second));
        }
        out += '}';
      }
      out += ' ' + format_sample_value(s.value) + '\n';
    }
  }
  return out;
}

nlohmann::json Exposition::json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const Family& f : families_) {
    if (f.samples.empty()) continue;
    nlohmann::json samples = nlohmann::json::array();
    for (const Sample& s : f.samples) {
      nlohmann::json labels = nlohmann::json::object();
      for (const auto& [k, v] : s.labels) labels[k] = v;
      // JSON has no NaN or infinity: those become null.
      samples.push_back(
          {{"labels", labels}, {"value", std::isfinite(s.value) ? nlohmann::json(s.value) : nullptr}});
    }
    list.push_back({{"name", f.name},
                    {"type", f.type == Type::Counter ? "counter" : "gauge"},
                    {"help", f.help},
                    {"samples", samples}});
  }
  return list;
}

}  // namespace ffclock::tool
