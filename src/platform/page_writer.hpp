#pragma once
// The daemon's side of the shared clock page: creates the page file atomically and
// publishes ClockParams into it under the seqlock.
//
// publish(): seq odd (relaxed) -> full fence -> ordered counter read c0 INSIDE the write
// section -> encode with core math -> release store of every field -> seq even (release) ->
// FUTEX_WAKE (shared) on seq_count. Reading c0 after the odd store means no reader can
// finish with the old parameters at a counter value >= c0, which, with the monotonic
// segment re-anchored at c0, is what keeps monotonic() from ever going back.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/page/page_codec.hpp"
#include "core/result.hpp"
#include "platform/counter.hpp"

namespace ffclock::platform {

struct PageWriterError {
  enum class Code : uint8_t { Create, Truncate, Map, Rename, Open } code;
  int err = 0;  // errno
  std::string message;
};

class PageWriter {
 public:
  // Opens the page at `path` (rewriting the same inode, and continuing its monotonic segment
  // and step generation, when it already holds a valid page), or creates it atomically: a
  // temporary file in the same directory, ftruncate, initialise, chmod 0644, rename.
  [[nodiscard]] static core::Result<PageWriter, PageWriterError> open_file(const std::string& path, Counter& counter,
                                                                           core::MonotonicConfig mono = {});
  // The same writer over caller-owned memory (tests, the simulator, benchmarks). The memory
  // must be 8-byte aligned and at least sizeof(ffclock_page); it is initialised here.
  [[nodiscard]] static PageWriter over_memory(void* memory, size_t size, Counter& counter,
                                              core::MonotonicConfig mono = {});

  PageWriter(PageWriter&& other) noexcept;
  PageWriter& operator=(PageWriter&&) = delete;
  PageWriter(const PageWriter&) = delete;
  ~PageWriter();

  // Publishes a new set of parameters. Returns the switch-over counter value c0.
  uint64_t publish(const core::PageInput& input);

  [[nodiscard]] const core::WriterState& state() const { return state_; }
  [[nodiscard]] const ffclock_page* page() const { return page_; }
  [[nodiscard]] size_t size() const { return size_; }

 private:
  PageWriter(ffclock_page* page, size_t size, bool mapped, Counter& counter, core::MonotonicConfig mono);

  ffclock_page* page_;
  size_t size_;
  bool mapped_;  // munmap on destruction
  Counter* counter_;
  core::MonotonicConfig mono_;
  core::WriterState state_;
};

// Writes the constant header (magic, size, version, extension header) and an UNKNOWN status
// into fresh memory, so a reader that maps it before the first publication sees a valid page.
void initialise_page(ffclock_page& page, uint32_t region_size);

}  // namespace ffclock::platform
