// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The daemon's side of the shared clock page: creates the page file atomically, holds the
// one-writer lock on it, and publishes ClockParams into it under the seqlock.
//
// publish(): seq odd (relaxed) -> full fence -> ordered counter read c0 INSIDE the write
// section -> encode with core math -> journal the previous writer state -> release store of
// every published field -> seq even (release) -> FUTEX_WAKE (shared) on seq_count. Reading c0
// after the odd store means no reader can finish with the old parameters at a counter value
// >= c0, which, with the monotonic segment re-anchored at c0, is what keeps monotonic() from
// ever going back. The journal lets a restarted writer continue from the last complete
// publication when its predecessor died inside a write section (docs/page.md, "Writer").

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/page/page_codec.hpp"
#include "core/result.hpp"
#include "platform/counter.hpp"

namespace ffclock::platform {

struct PageWriterError {
  enum class Code : uint8_t {
    Create,
    Truncate,
    Map,
    Rename,
    Open,
    Locked,  // another writer holds the page (its lock is held: a second daemon)
  } code;
  int err = 0;  // errno
  std::string message;
};

class PageWriter {
 public:
  // Opens the page at `path` (rewriting the same inode, and continuing its monotonic segment
  // and step generation, when it already holds a valid page), or creates it atomically: a
  // temporary file in the same directory, ftruncate, initialise, chmod 0644, link into place.
  // Takes an exclusive lock on the page (an OFD lock, fcntl F_OFD_SETLK, held for the
  // writer's lifetime); fails with Code::Locked when another writer holds it. The header
  // names the counter's kind and TAI.
  [[nodiscard]] static core::Result<PageWriter, PageWriterError> open_file(const std::string& path,
                                                                           Counter& counter,
                                                                           core::MonotonicConfig mono = {});
  // The same writer over caller-owned memory (tests, the simulator, benchmarks). The memory
  // must be 8-byte aligned and at least sizeof(ffclock_page); it is initialised here.
  [[nodiscard]] static PageWriter over_memory(void* memory, size_t size, Counter& counter,
                                              core::MonotonicConfig mono = {});

  PageWriter(PageWriter&& other) noexcept;
  PageWriter& operator=(PageWriter&&) = delete;
  PageWriter(const PageWriter&) = delete;
  ~PageWriter();

  // Publishes a new set of parameters. Returns the switch-over counter value c0. An input
  // whose counter or timescale differs from the page's constant header makes a new page
  // first (file: a new inode renamed into place, the old one left UNKNOWN; memory, or a page
  // that never held a publication: the header rewritten in place under the seqlock).
  uint64_t publish(const core::PageInput& input);

  // Tests only: the same publication, stopped after `stores` stores to shared memory, as if
  // the writer were killed there (the seqlock stays odd). Returns how many stores a complete
  // publication makes.
  size_t publish_interrupted(const core::PageInput& input, size_t stores);

  [[nodiscard]] const core::WriterState& state() const { return state_; }
  [[nodiscard]] const ffclock_page* page() const { return page_; }
  [[nodiscard]] size_t size() const { return size_; }

 private:
  PageWriter(ffclock_page* page, size_t size, bool mapped, Counter& counter, core::MonotonicConfig mono);
  // Publishes with at most `budget` shared stores; returns the stores made and c0.
  size_t publish_limited(const core::PageInput& input, size_t budget, uint64_t* c0_out);
  [[nodiscard]] bool header_matches(const core::PageInput& input) const;
  [[nodiscard]] bool published() const;  // the page has held a publication
  // A page whose header matches `input` (see publish()). True if a new file was made.
  bool remake_for(const core::PageInput& input);

  ffclock_page* page_;
  size_t size_;
  bool mapped_;  // munmap on destruction
  Counter* counter_;
  core::MonotonicConfig mono_;
  core::WriterState state_;
  std::string path_;  // the page file; empty over memory
  int lock_fd_ = -1;  // holds the writer lock (file pages)
};

// Writes the constant header (magic, size, version, counter_id, time_type, the extension
// header) and an UNKNOWN status into fresh memory, so a reader that maps it before the first
// publication sees a valid page. counter_id is the real counter (FFCLOCK_COUNTER_*).
void initialise_page(ffclock_page& page, uint32_t region_size, uint8_t counter_id = FFCLOCK_COUNTER_INVALID,
                     uint8_t time_type = FFCLOCK_TIME_TAI);

// The writer's recovery record, at kJournalOffset in regions large enough (not part of the
// reader ABI; docs/page.md): the writer state of the last complete publication, written
// inside each write section before any published field changes.
inline constexpr size_t kJournalOffset = 2048;

}  // namespace ffclock::platform
