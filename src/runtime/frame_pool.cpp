#include "runtime/frame_pool.hpp"

#include <array>
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
namespace {

constexpr std::size_t kStep = 64;
constexpr std::size_t kClasses = 16;  // up to 1 KiB
constexpr std::size_t kMaxFreePerClass = 256;

struct FreeFrame {
  FreeFrame* next;
};

struct Pool {
  std::array<FreeFrame*, kClasses> head{};
  std::array<std::size_t, kClasses> count{};
  ~Pool() {
    for (FreeFrame* f : head) {
      while (f != nullptr) {
        FreeFrame* next = f->next;
        ::operator delete(f);
        f = next;
      }
    }
  }
};

// One pool per thread: a scheduler and its frames live on one thread.
thread_local Pool t_pool;

std::size_t size_class(std::size_t size) { return (size + kStep - 1) / kStep - 1; }

}  // namespace

void* frame_alloc(std::size_t size) {
  if (FFCLOCK_FRAME_POOL && size > 0 && size <= kStep * kClasses) {
    const std::size_t c = size_class(size);
    if (FreeFrame* f = t_pool.head[c]) {
      t_pool.head[c] = f->next;
      --t_pool.count[c];
      return f;
    }
    return ::operator new((c + 1) * kStep);
  }
  return ::operator new(size);
}

void frame_free(void* p, std::size_t size) noexcept {
  if (FFCLOCK_FRAME_POOL && size > 0 && size <= kStep * kClasses) {
    const std::size_t c = size_class(size);
    if (t_pool.count[c] < kMaxFreePerClass) {
      auto* f = static_cast<FreeFrame*>(p);
      f->next = t_pool.head[c];
      t_pool.head[c] = f;
      ++t_pool.count[c];
      return;
    }
  }
  ::operator delete(p);
}

}  // namespace ffclock::runtime::detail
