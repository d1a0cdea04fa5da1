// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Where ffclockd's log lines go: stderr with journald's "<N>" priority prefix (syslog
// levels), one line per event, below a configured level dropped. MemoryLog keeps lines for
// tests.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/actions.hpp"

namespace ffclock::daemon {

class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void write(core::engine::LogLevel level, std::string_view text) = 0;
};

// "<6>text\n", flushed per line (stderr is unbuffered; a file given here is flushed).
class StreamLog final : public LogSink {
 public:
  explicit StreamLog(std::FILE* out, core::engine::LogLevel max_level = core::engine::LogLevel::Info)
      : out_(out), max_(max_level) {}
  void write(core::engine::LogLevel level, std::string_view text) override;

 private:
  std::FILE* out_;
  core::engine::LogLevel max_;
};

class MemoryLog final : public LogSink {
 public:
  void write(core::engine::LogLevel level, std::string_view text) override;
  [[nodiscard]] bool contains(std::string_view fragment) const;
  std::vector<std::string> lines;  // with their "<N>" prefix
};

// "<N>text": the line without its newline.
[[nodiscard]] std::string format_log_line(core::engine::LogLevel level, std::string_view text);

}  // namespace ffclock::daemon
