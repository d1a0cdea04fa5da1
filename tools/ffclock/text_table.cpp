// SPDX-License-Identifier: BSD-2-Clause
// Aligned text tables (see text_table.hpp).
#include "text_table.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ffclock::tool {

std::string TextTable::render(const std::string& indent) const {
  std::vector<size_t> width(headers.size(), 0);
  auto widen = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], cells[i].size());
  };
  widen(headers);
  for (const auto& r : rows) widen(r);

  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = indent;
    for (size_t i = 0; i < width.size(); ++i) {
      const std::string& cell = i < cells.size() ? cells[i] : std::string{};
      const bool last = i + 1 == width.size();
      const bool right = i < align.size() && align[i] == Align::Right;
      if (right) {
        out += fmt::format("{:>{}}", cell, width[i]);
      } else {
        out += last ? cell : fmt::format("{:<{}}", cell, width[i]);
      }
      if (!last) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };

  std::string out = line(headers);
  for (const auto& r : rows) out += line(r);
  return out;
}

}  // namespace ffclock::tool
