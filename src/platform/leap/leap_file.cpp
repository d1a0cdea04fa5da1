// SPDX-License-Identifier: BSD-2-Clause
// Reads leap-seconds.list with plain POSIX calls so errno reaches the caller.
#include "platform/leap/leap_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace ffclock::platform {
namespace {

core::Result<core::LeapTable, LeapLoadError> parse_text(std::string_view text,
                                                        core::LeapParseOptions options) {
  auto table = core::LeapTable::parse(text, options);
  if (!table) return core::Unexpected{LeapLoadError{LeapLoadErrc::Invalid, 0, table.error()}};
  return std::move(table).value();
}

}  // namespace

core::Result<std::string, LeapLoadError> read_leap_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return core::Unexpected{LeapLoadError{
        err == ENOENT || err == ENOTDIR ? LeapLoadErrc::NotFound : LeapLoadErrc::ReadFailed, err}};
  }
  std::string text;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return core::Unexpected{LeapLoadError{LeapLoadErrc::ReadFailed, err}};
    }
    if (n == 0) break;
    if (text.size() + static_cast<size_t>(n) > kMaxLeapFileBytes) {
      ::close(fd);
      return core::Unexpected{LeapLoadError{LeapLoadErrc::TooLarge}};
    }
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

core::Result<core::LeapTable, LeapLoadError> FileLeapSource::load() {
  auto text = read_leap_file(path_);
  if (!text) return core::Unexpected{text.error()};
  return parse_text(text.value(), options_);
}

core::Result<core::LeapTable, LeapLoadError> FakeLeapSource::load() {
  if (text_.empty()) return core::Unexpected{LeapLoadError{LeapLoadErrc::NotFound, ENOENT}};
  return parse_text(text_, core::LeapParseOptions{});
}

std::string_view to_string(LeapLoadErrc code) {
  switch (code) {
    case LeapLoadErrc::NotFound:
      return "leap-seconds file not found";
    case LeapLoadErrc::ReadFailed:
      return "leap-seconds file unreadable";
    case LeapLoadErrc::TooLarge:
      return "leap-seconds file too large";
    case LeapLoadErrc::Invalid:
      return "leap-seconds file invalid";
  }
  return "unknown leap-seconds load error";
}

}  // namespace ffclock::platform
