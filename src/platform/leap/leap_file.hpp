// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Where the daemon gets its leap table: a leap-seconds.list file (tzdata's copy by default,
// or a configured path), read here and parsed by the pure core parser.
//
// A missing, unreadable or invalid file is an error value, never a crash: the daemon then
// keeps its last good table (or runs with leap status unknown). FakeLeapSource serves tests.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/leap/leap_table.hpp"
#include "core/result.hpp"

namespace ffclock::platform {

inline constexpr std::string_view kDefaultLeapSecondsPath = "/usr/share/zoneinfo/leap-seconds.list";
// Real files are ~10 KiB; anything far larger is not one.
inline constexpr size_t kMaxLeapFileBytes = 1 << 20;

enum class LeapLoadErrc : uint8_t {
  NotFound,    // no such file
  ReadFailed,  // exists but cannot be opened or read (sys_errno says why)
  TooLarge,    // over kMaxLeapFileBytes
  Invalid,     // read, but the parser rejected it (parse says why)
};

struct LeapLoadError {
  LeapLoadErrc code;
  int sys_errno = 0;             // for NotFound / ReadFailed
  core::LeapParseError parse{};  // for Invalid
};

[[nodiscard]] std::string_view to_string(LeapLoadErrc code);

// The whole file as text.
[[nodiscard]] core::Result<std::string, LeapLoadError> read_leap_file(const std::string& path);

class LeapSource {
 public:
  virtual ~LeapSource() = default;
  [[nodiscard]] virtual core::Result<core::LeapTable, LeapLoadError> load() = 0;
};

class FileLeapSource final : public LeapSource {
 public:
  explicit FileLeapSource(std::string path = std::string(kDefaultLeapSecondsPath),
                          core::LeapParseOptions options = {})
      : path_(std::move(path)), options_(options) {}
  core::Result<core::LeapTable, LeapLoadError> load() override;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  core::LeapParseOptions options_;
};

// Serves a text set by the test; empty text behaves like a missing file.
class FakeLeapSource final : public LeapSource {
 public:
  explicit FakeLeapSource(std::string text = {}) : text_(std::move(text)) {}
  void set_text(std::string text) { text_ = std::move(text); }
  core::Result<core::LeapTable, LeapLoadError> load() override;

 private:
  std::string text_;
};

}  // namespace ffclock::platform
