// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A plain aligned text table for tool output: columns as wide as their widest cell, two
// spaces apart, numbers right-aligned.

#include <string>
#include <vector>

namespace ffclock::tool {

enum class Align : unsigned char { Left, Right };

struct TextTable {
  std::vector<std::string> headers;
  std::vector<Align> align;  // per column; missing entries are Left
  std::vector<std::vector<std::string>> rows;

  // Each line starts with `indent`; the last column is not padded.
  [[nodiscard]] std::string render(const std::string& indent = "  ") const;
};

}  // namespace ffclock::tool
