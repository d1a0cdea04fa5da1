// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A Prometheus text exposition (format 0.0.4) built family by family: each metric name gets
// one HELP and one TYPE line before its samples; label values are escaped; non-finite
// values are written as NaN, +Inf, -Inf.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace ffclock::tool {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Exposition {
 public:
  enum class Type { Gauge, Counter };

  // Declares a family (once; a second call with the same name is ignored).
  void family(const std::string& name, Type type, const std::string& help);
  // A sample of a declared family.
  void sample(const std::string& name, const Labels& labels, double value);
  void sample(const std::string& name, double value) { sample(name, {}, value); }

  [[nodiscard]] std::string text() const;
  // [{"name", "type", "help", "samples": [{"labels": {...}, "value"}]}]
  [[nodiscard]] nlohmann::json json() const;

 private:
  struct Sample {
    Labels labels;
    double value;
  };
  struct Family {
    std::string name;
    Type type;
    std::string help;
    std::vector<Sample> samples;
  };
  std::vector<Family> families_;
  std::map<std::string, size_t> index_;
};

[[nodiscard]] std::string escape_label_value(const std::string& value);
[[nodiscard]] std::string format_sample_value(double value);

}  // namespace ffclock::tool
