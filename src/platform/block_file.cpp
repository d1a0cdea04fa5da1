// SPDX-License-Identifier: BSD-2-Clause
#include "platform/block_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace ffclock::platform {

core::Result<BlockFile, SysError> BlockFile::open(const std::string& path, std::size_t page_size,
                                                  uint64_t min_pages) {
  if (page_size == 0) return core::Unexpected{SysError{"block file: page size is 0", 0}};
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);
  if (fd < 0) return core::Unexpected{SysError{"open", errno}};
  BlockFile file(fd, page_size, 0);  // closes fd on the error paths
  struct stat st {};
  if (::fstat(fd, &st) < 0) return core::Unexpected{SysError{"fstat", errno}};
  auto size = static_cast<uint64_t>(st.st_size);
  if (size % page_size != 0) {
    return core::Unexpected{SysError{"block file: size is not a whole number of pages", 0}};
  }
  if (size / page_size < min_pages) {
    size = min_pages * page_size;
    if (::ftruncate(fd, static_cast<off_t>(size)) < 0) {
      return core::Unexpected{SysError{"ftruncate", errno}};
    }
  }
  file.pages_ = size / page_size;
  return file;
}

BlockFile::~BlockFile() {
  if (fd_ >= 0) ::close(fd_);
}

core::Result<bool, SysError> BlockFile::read_at(uint64_t offset, std::span<std::byte> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return core::Unexpected{SysError{"pread", errno}};
    }
    if (n == 0) return core::Unexpected{SysError{"pread: file shrank under the device", 0}};
    done += static_cast<std::size_t>(n);
  }
  return true;
}

core::Result<bool, SysError> BlockFile::write_at(uint64_t offset, std::span<const std::byte> data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n =
        ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return core::Unexpected{SysError{"pwrite", errno}};
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace ffclock::platform
