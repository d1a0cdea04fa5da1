// SPDX-License-Identifier: BSD-2-Clause
// Small text-file reads with errno mapped to FileError (see read_text_file.hpp).
#include "platform/read_text_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ffclock::platform {
namespace {

FileError error_from_errno(int err, const std::string& path) {
  FileErrorKind kind = FileErrorKind::IoError;
  if (err == ENOENT || err == ENOTDIR) kind = FileErrorKind::NotFound;
  if (err == EACCES || err == EPERM) kind = FileErrorKind::PermissionDenied;
  return {kind, err, path};
}

// Closes the descriptor on every return path.
class FdGuard {
 public:
  explicit FdGuard(int fd) : fd_(fd) {}
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  ~FdGuard() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string FileError::message() const {
  switch (kind) {
    case FileErrorKind::NotFound:
      return path + ": not found";
    case FileErrorKind::PermissionDenied:
      return path + ": permission denied";
    case FileErrorKind::TooLarge:
      return path + ": larger than expected";
    case FileErrorKind::IoError:
      break;
  }
  return path + ": " + std::strerror(error_number);
}

core::Result<std::string, FileError> read_text_file(const std::string& path, size_t max_bytes) {
  const FdGuard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return core::Unexpected{error_from_errno(errno, path)};
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return core::Unexpected{error_from_errno(errno, path)};
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > max_bytes) return core::Unexpected{FileError{FileErrorKind::TooLarge, 0, path}};
  }
  return text;
}

core::Result<std::string, FileError> read_first_line(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text;
  std::string line = std::move(text).value();
  line = line.substr(0, line.find('\n'));
  const auto first = line.find_first_not_of(" \t\r");
  if (first == std::string::npos) return std::string{};
  const auto last = line.find_last_not_of(" \t\r");
  return line.substr(first, last - first + 1);
}

bool path_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace ffclock::platform
