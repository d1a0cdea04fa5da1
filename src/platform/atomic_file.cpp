// SPDX-License-Identifier: BSD-2-Clause
#include "platform/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace ffclock::platform {

namespace {

core::Result<Done, SysError> rename_into_place(const std::string& tmp, const std::string& path,
                                               bool durable) {
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return core::Unexpected{SysError{"rename", e}};
  }
  if (durable) {
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
  return Done{};
}

core::Result<Done, SysError> write_replace(const std::string& path, std::string_view text, bool durable) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return core::Unexpected{SysError{"open", errno}};
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return core::Unexpected{SysError{"write", e}};
    }
    done += static_cast<std::size_t>(n);
  }
  // The umask may have narrowed the mode; readers are other users (the CLI).
  ::fchmod(fd, 0644);
  if (durable && ::fsync(fd) != 0) {
    const int e = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return core::Unexpected{SysError{"fsync", e}};
  }
  if (::close(fd) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return core::Unexpected{SysError{"close", e}};
  }
  return rename_into_place(tmp, path, durable);
}

}  // namespace

core::Result<Done, SysError> write_file_atomically(const std::string& path, std::string_view text) {
  return write_replace(path, text, false);
}

core::Result<Done, SysError> write_file_durably(const std::string& path, std::string_view text) {
  return write_replace(path, text, true);
}

core::Result<Done, SysError> commit_replacement(const std::string& tmp, const std::string& path) {
  const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return core::Unexpected{SysError{"open", errno}};
  if (::fsync(fd) != 0) {
    const int e = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return core::Unexpected{SysError{"fsync", e}};
  }
  ::close(fd);
  return rename_into_place(tmp, path, true);
}

core::Result<Done, SysError> remove_if_present(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return core::Unexpected{SysError{"unlink", errno}};
  return Done{};
}

core::Result<Done, SysError> make_parent_directories(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return Done{};
  const std::string dir = path.substr(0, slash);
  // Each prefix ending before a '/', then the directory itself.
  for (std::size_t i = 1; i <= dir.size(); ++i) {
    if (i != dir.size() && dir[i] != '/') continue;
    const std::string prefix = dir.substr(0, i);
    if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return core::Unexpected{SysError{"mkdir", errno}};
    }
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return core::Unexpected{SysError{"stat", errno}};
  if (!S_ISDIR(st.st_mode)) return core::Unexpected{SysError{"mkdir", ENOTDIR}};
  return Done{};
}

}  // namespace ffclock::platform
