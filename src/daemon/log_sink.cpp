// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/log_sink.hpp"

#include <fmt/format.h>

namespace ffclock::daemon {

std::string format_log_line(core::engine::LogLevel level, std::string_view text) {
  // A newline inside the text would start a line journald reads at the default priority.
  std::string one_line(text);
  for (char& c : one_line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return fmt::format("<{}>{}", static_cast<int>(level), one_line);
}

void StreamLog::write(core::engine::LogLevel level, std::string_view text) {
  if (static_cast<int>(level) > static_cast<int>(max_)) return;
  const std::string line = format_log_line(level, text) + "\n";
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

void MemoryLog::write(core::engine::LogLevel level, std::string_view text) {
  lines.push_back(format_log_line(level, text));
}

bool MemoryLog::contains(std::string_view fragment) const {
  for (const auto& l : lines) {
    if (l.find(fragment) != std::string::npos) return true;
  }
  return false;
}

}  // namespace ffclock::daemon
