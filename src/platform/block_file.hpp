// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A regular file used as a block device: whole pages at page-aligned offsets with
// pread/pwrite, retried until complete, so a caller never sees a short read or write.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/result.hpp"
#include "platform/sys_error.hpp"

namespace ffclock::platform {

class BlockFile {
 public:
  // Opens (creating if absent) `path` read-write. A new or empty file is extended to
  // `min_pages` pages; an existing file's size must be a whole number of pages.
  [[nodiscard]] static core::Result<BlockFile, SysError> open(const std::string& path, std::size_t page_size,
                                                              uint64_t min_pages);

  BlockFile(BlockFile&& other) noexcept : fd_(other.fd_), page_size_(other.page_size_), pages_(other.pages_) {
    other.fd_ = -1;
  }
  BlockFile& operator=(BlockFile&&) = delete;
  BlockFile(const BlockFile&) = delete;
  BlockFile& operator=(const BlockFile&) = delete;
  ~BlockFile();

  [[nodiscard]] std::size_t page_size() const { return page_size_; }
  [[nodiscard]] uint64_t pages() const { return pages_; }
  // The caller has checked the offset and length; these only loop over partial transfers.
  [[nodiscard]] core::Result<bool, SysError> read_at(uint64_t offset, std::span<std::byte> out);
  [[nodiscard]] core::Result<bool, SysError> write_at(uint64_t offset, std::span<const std::byte> data);

 private:
  BlockFile(int fd, std::size_t page_size, uint64_t pages) : fd_(fd), page_size_(page_size), pages_(pages) {}
  int fd_ = -1;
  std::size_t page_size_ = 0;
  uint64_t pages_ = 0;
};

}  // namespace ffclock::platform
