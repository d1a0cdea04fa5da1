// SPDX-License-Identifier: BSD-2-Clause
#include "runtime/block_device.hpp"

namespace ffclock::runtime {

core::Result<Unit, BlockError> BlockDevice::check(uint64_t offset, std::size_t len) const {
  const std::size_t page = store_->page_size();
  if (len == 0 || len % page != 0) return core::Unexpected{BlockError{BlockErrc::BadLength, 0}};
  if (offset % page != 0) return core::Unexpected{BlockError{BlockErrc::Misaligned, 0}};
  const uint64_t first = offset / page;
  const uint64_t count = len / page;
  if (first >= store_->pages() || count > store_->pages() - first) {
    return core::Unexpected{BlockError{BlockErrc::OutOfRange, 0}};
  }
  return Unit{};
}

core::Result<Unit, BlockError> BlockDevice::perform(const BlockOp& op) {
  return op.is_write ? store_->write(op.offset, op.out) : store_->read(op.offset, op.in);
}

core::Result<Unit, BlockError> BlockDevice::atomic_read(uint64_t offset, std::span<std::byte> out) {
  if (auto ok = check(offset, out.size()); !ok) return ok;
  return store_->read(offset, out);
}

core::Result<Unit, BlockError> BlockDevice::atomic_write(uint64_t offset, std::span<const std::byte> data) {
  if (auto ok = check(offset, data.size()); !ok) return ok;
  return store_->write(offset, data);
}

void BlockDevice::OpAwaiter::await_suspend(std::coroutine_handle<> h) {
  Scheduler& s = op.dev->sched_;
  auto ok = op.dev->check(op.offset, op.is_write ? op.out.size() : op.in.size());
  if (!ok) {
    op.result = std::move(ok);
    s.park_ready(h);
    return;
  }
  s.park_block_op(h, &op);
}

}  // namespace ffclock::runtime
