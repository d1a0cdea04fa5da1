// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Pages in memory: the BlockStore of the simulated backend and of tests. Optional failure
// injection makes the next operations fail with an I/O error.

#include <cstring>
#include <vector>

#include "runtime/backend.hpp"

namespace ffclock::runtime {

class MemoryBlockStore final : public BlockStore {
 public:
  MemoryBlockStore(std::size_t page_size, uint64_t pages)
      : page_size_(page_size), pages_(pages), bytes_(page_size * pages) {}

  std::size_t page_size() const override { return page_size_; }
  uint64_t pages() const override { return pages_; }
  core::Result<Unit, BlockError> read(uint64_t offset, std::span<std::byte> out) override {
    if (fail_next_ > 0) return fail();
    ++reads_;
    std::memcpy(out.data(), bytes_.data() + offset, out.size());
    return Unit{};
  }
  core::Result<Unit, BlockError> write(uint64_t offset, std::span<const std::byte> data) override {
    if (fail_next_ > 0) return fail();
    ++writes_;
    std::memcpy(bytes_.data() + offset, data.data(), data.size());
    return Unit{};
  }

  void fail_next(int n) { fail_next_ = n; }
  [[nodiscard]] int reads() const { return reads_; }
  [[nodiscard]] int writes() const { return writes_; }
  [[nodiscard]] std::span<const std::byte> bytes() const { return bytes_; }

 private:
  core::Result<Unit, BlockError> fail() {
    --fail_next_;
    return core::Unexpected{BlockError{BlockErrc::Io, 5}};  // EIO
  }
  std::size_t page_size_;
  uint64_t pages_;
  std::vector<std::byte> bytes_;
  int fail_next_ = 0;
  int reads_ = 0;
  int writes_ = 0;
};

}  // namespace ffclock::runtime
