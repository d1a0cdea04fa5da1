// SPDX-License-Identifier: BSD-2-Clause
// Bounded reads of regular files (see input_file.hpp).
#include "sim/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ffclock::sim {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

core::Unexpected<std::string> fail(const std::string& reason) { return core::Unexpected{reason}; }

}  // namespace

core::Result<std::string, std::string> read_input_file(const std::string& path, size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO with no writer must not block; it is refused below.
  const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) return fail(std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) {
    return fail(S_ISDIR(st.st_mode) ? "is a directory, not a file" : "not a regular file");
  }
  if (static_cast<unsigned long long>(st.st_size) > max_bytes) {
    return fail("larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::string text;
  text.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(std::strerror(errno));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    // The file may grow while it is read.
    if (text.size() > max_bytes) return fail("larger than " + std::to_string(max_bytes) + " bytes");
  }
  return text;
}

}  // namespace ffclock::sim
