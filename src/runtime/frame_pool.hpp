// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Recycles coroutine frames: a spawned child's frame is allocated and freed on every spawn,
// so frames go back to a per-thread free list by size class (64-byte steps up to 1 KiB,
// at most 256 kept per class) instead of to malloc. Larger frames, and every frame under
// AddressSanitizer (so it still sees use-after-free), go straight to operator new/delete.
// Inline because it sits on the spawn path; the pool is trivially destructible, so the
// frames it holds when a thread exits are simply not returned.

#include <array>
#include <cstddef>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define FFCLOCK_FRAME_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FFCLOCK_FRAME_POOL 0
#endif
#endif
#ifndef FFCLOCK_FRAME_POOL
#define FFCLOCK_FRAME_POOL 1
#endif

namespace ffclock::runtime::detail {

struct FramePool {
  static constexpr std::size_t kStep = 64;
  static constexpr std::size_t kClasses = 16;
  static constexpr std::size_t kMaxFree = 256;
  struct FreeFrame {
    FreeFrame* next;
  };
  std::array<FreeFrame*, kClasses> head{};
  std::array<std::size_t, kClasses> count{};
};

// One pool per thread: a scheduler and its frames live on one thread.
inline constinit thread_local FramePool t_frame_pool{};

[[nodiscard]] inline void* frame_alloc(std::size_t size) {
  if (FFCLOCK_FRAME_POOL && size - 1 < FramePool::kStep * FramePool::kClasses) {
    const std::size_t c = (size - 1) / FramePool::kStep;
    FramePool& pool = t_frame_pool;
    if (FramePool::FreeFrame* f = pool.head[c]) {
      pool.head[c] = f->next;
      --pool.count[c];
      return f;
    }
    return ::operator new((c + 1) * FramePool::kStep);
  }
  return ::operator new(size);
}

inline void frame_free(void* p, std::size_t size) noexcept {
  if (FFCLOCK_FRAME_POOL && size - 1 < FramePool::kStep * FramePool::kClasses) {
    const std::size_t c = (size - 1) / FramePool::kStep;
    FramePool& pool = t_frame_pool;
    if (pool.count[c] < FramePool::kMaxFree) {
      auto* f = static_cast<FramePool::FreeFrame*>(p);
      f->next = pool.head[c];
      pool.head[c] = f;
      ++pool.count[c];
      return;
    }
  }
  ::operator delete(p);
}

}  // namespace ffclock::runtime::detail
