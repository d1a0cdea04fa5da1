// SPDX-License-Identifier: BSD-2-Clause
// Bounded reads of regular files (see input_file.hpp).
#include "input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ffclock::tool {
namespace {

core::Unexpected<InputFileError> failure(const std::string& path, const std::string& what,
                                         bool not_found = false) {
  return core::Unexpected{InputFileError{not_found, path + ": " + what}};
}

}  // namespace

core::Result<std::string, InputFileError> read_input_file(const std::string& path, size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int e = errno;
    return failure(path, e == ENOENT ? "no such file" : std::strerror(e), e == ENOENT);
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return failure(path, std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return failure(path, "not a regular file");
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return failure(path, "larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      return failure(path, std::strerror(e));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > max_bytes) {  // grew while being read
      ::close(fd);
      return failure(path, "larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  return text;
}

bool exists_but_not_regular(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  return !S_ISREG(st.st_mode);
}

}  // namespace ffclock::tool
