// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Reading small text files (sysfs, procfs, configuration) as a value or an error.
//
// A missing file is an ordinary answer here (a VM without /dev/vmclock0, a kernel without a
// clocksource directory), so it comes back as an error value, never as a crash or exception.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace ffclock::platform {

enum class FileErrorKind : uint8_t {
  NotFound,          // ENOENT / ENOTDIR
  PermissionDenied,  // EACCES / EPERM
  TooLarge,          // more than the caller's limit
  IoError,           // anything else; errno kept
};

struct FileError {
  FileErrorKind kind = FileErrorKind::IoError;
  int error_number = 0;  // errno of the failing call, 0 for TooLarge
  std::string path;

  // One line for logs and tool output, e.g. "/sys/...: not found".
  [[nodiscard]] std::string message() const;
};

// The whole file, up to max_bytes (sysfs attributes are at most a page).
[[nodiscard]] core::Result<std::string, FileError> read_text_file(const std::string& path,
                                                                  size_t max_bytes = 65536);

// The first line without its newline and surrounding blanks: the shape of a sysfs attribute.
[[nodiscard]] core::Result<std::string, FileError> read_first_line(const std::string& path);

// Whether something (file, device node, directory) exists at path.
[[nodiscard]] bool path_exists(const std::string& path);

}  // namespace ffclock::platform
