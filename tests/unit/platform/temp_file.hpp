// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A uniquely named file under $TMPDIR (or /tmp) holding given text, removed at scope exit.

#include <stdlib.h>
#include <unistd.h>

#include <string>

namespace ffclock::test {

class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    const char* dir = getenv("TMPDIR");
    std::string tmpl = std::string{dir ? dir : "/tmp"} + "/ffclock-test-XXXXXX";
    const int fd = mkstemp(tmpl.data());
    if (fd >= 0) {
      size_t off = 0;
      while (off < text.size()) {
        const ssize_t n = write(fd, text.data() + off, text.size() - off);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
      close(fd);
      path_ = tmpl;
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace ffclock::test
