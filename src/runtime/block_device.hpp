// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A block device of fixed-size pages (on Linux a file; in memory in tests), with
// Miou_solo5's Block semantics. atomic_read/atomic_write run at once and nothing else runs
// meanwhile. read/write are scheduled at the lowest priority: they run only when no task is
// ready, one at a time, and the task resumes with the result. Every access is whole pages at
// a page-aligned offset; short reads cannot happen; bad offsets and lengths are errors.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "core/result.hpp"
#include "runtime/backend.hpp"
#include "runtime/errors.hpp"
#include "runtime/scheduler.hpp"

namespace ffclock::runtime {

struct BlockOp {
  BlockDevice* dev = nullptr;
  bool is_write = false;
  uint64_t offset = 0;
  std::span<std::byte> in;         // read target
  std::span<const std::byte> out;  // write source
  std::optional<core::Result<Unit, BlockError>> result;
};

class BlockDevice {
 public:
  BlockDevice(Scheduler& sched, std::unique_ptr<BlockStore> store)
      : sched_(sched), store_(std::move(store)) {}
  BlockDevice(const BlockDevice&) = delete;
  BlockDevice& operator=(const BlockDevice&) = delete;

  [[nodiscard]] std::size_t page_size() const { return store_->page_size(); }
  [[nodiscard]] uint64_t pages() const { return store_->pages(); }

  [[nodiscard]] core::Result<Unit, BlockError> atomic_read(uint64_t offset, std::span<std::byte> out);
  [[nodiscard]] core::Result<Unit, BlockError> atomic_write(uint64_t offset, std::span<const std::byte> data);

  struct OpAwaiter {
    BlockOp op;
    bool await_ready() noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h);
    core::Result<Unit, BlockError> await_resume() { return std::move(*op.result); }
  };
  // co_await read/write: queued; performed when nothing else is ready (buffers must
  // outlive the await). A bad offset or length fails at once.
  [[nodiscard]] OpAwaiter read(uint64_t offset, std::span<std::byte> out) {
    return OpAwaiter{BlockOp{this, false, offset, out, {}, {}}};
  }
  [[nodiscard]] OpAwaiter write(uint64_t offset, std::span<const std::byte> data) {
    return OpAwaiter{BlockOp{this, true, offset, {}, data, {}}};
  }

 private:
  friend class Scheduler;
  [[nodiscard]] core::Result<Unit, BlockError> check(uint64_t offset, std::size_t len) const;
  [[nodiscard]] core::Result<Unit, BlockError> perform(const BlockOp& op);

  Scheduler& sched_;
  std::unique_ptr<BlockStore> store_;
};

}  // namespace ffclock::runtime
