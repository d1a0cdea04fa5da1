#pragma once
// Recycles coroutine frames: a spawned child's frame is allocated and freed on every spawn,
// so frames go back to a per-thread free list by size class (64-byte steps up to 1 KiB)
// instead of to malloc. Larger frames, and every frame under AddressSanitizer (so it still
// sees use-after-free), go straight to operator new/delete.

#include <cstddef>

namespace ffclock::runtime::detail {

[[nodiscard]] void* frame_alloc(std::size_t size);
void frame_free(void* p, std::size_t size) noexcept;

}  // namespace ffclock::runtime::detail
