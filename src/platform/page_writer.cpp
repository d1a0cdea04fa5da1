// SPDX-License-Identifier: BSD-2-Clause
// PageWriter: page file creation, the writer lock, the seqlock write protocol and the
// restart path.
#include "platform/page_writer.hpp"

#include <fcntl.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>

#include "ffclock/page_access.hpp"
#include "ffclock/page_math.hpp"

namespace ffclock::platform {
namespace {

#if defined(__SANITIZE_THREAD__)
#define FFCLOCK_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FFCLOCK_TSAN 1
#endif
#endif

constexpr size_t kFileSize = FFCLOCK_PAGE_SIZE;

PageWriterError error(PageWriterError::Code code, const std::string& what) {
  const int e = errno;
  return {code, e, what + ": " + std::strerror(e)};
}

void futex_wake_all(uint32_t* word) {
  // Shared (not FUTEX_PRIVATE_FLAG): readers in other processes wait on the same page.
  (void)syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

// The writer lock: an exclusive OFD lock on the whole file. It belongs to the open file
// description, so it is released when the writer's descriptor closes (or the process dies),
// and readers can test for it without taking it (F_OFD_GETLK, clock.hpp).
bool lock_page(int fd) {
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  return fcntl(fd, F_OFD_SETLK, &fl) == 0;
}

// The recovery record (kJournalOffset): the writer state a publication started from, tagged
// with the odd sequence of its write section; the tag is stored last, so a tag equal to the
// page's current odd sequence means the record is complete.
struct Journal {
  uint64_t mono_valid;
  uint64_t mono_anchor;
  uint64_t mono_base_sec;
  uint64_t mono_base_frac;
  uint64_t mono_rate_frac;
  uint64_t mono_rate_shift;
  uint64_t mono_origin_sec;
  uint64_t mono_origin_frac;
  uint64_t step_generation;
  uint64_t heartbeat_count;
  uint64_t tag;  // kJournalMagic << 32 | odd seq_count
};
constexpr uint64_t kJournalMagic = 0x4a524e4cu;  // "LNRJ"
static_assert(kJournalOffset >= sizeof(ffclock_page) &&
              kJournalOffset + sizeof(Journal) <= FFCLOCK_PAGE_SIZE);
static_assert(kJournalOffset % alignof(Journal) == 0);

Journal* journal_of(ffclock_page* page, size_t size) {
  if (size < kJournalOffset + sizeof(Journal)) return nullptr;
  return reinterpret_cast<Journal*>(reinterpret_cast<unsigned char*>(page) + kJournalOffset);
}

// Counts the stores to shared memory, so that a test can stop a publication at any of them.
class StoreBudget {
 public:
  explicit StoreBudget(size_t budget) : left_(budget) {}
  template <class T>
  bool store(T& field, T value, std::memory_order order = std::memory_order_release) {
    if (left_ == 0) return false;
    --left_;
    ++made_;
    page_access::store(field, value, order);
    return true;
  }
  [[nodiscard]] bool take() {  // a store the caller makes itself
    if (left_ == 0) return false;
    --left_;
    ++made_;
    return true;
  }
  [[nodiscard]] size_t made() const { return made_; }

 private:
  size_t left_;
  size_t made_ = 0;
};

// Opens a write section: seq odd, then a full fence so that the odd store is visible before
// the counter is sampled (x86: MFENCE, then the counter's own LFENCE;RDTSC).
uint32_t begin_write(uint32_t& seq_word) {
  const uint32_t odd =
      (page_access::load(seq_word, std::memory_order_relaxed) + 1) | 1u;  // also after a dead writer
#if defined(FFCLOCK_TSAN)
  // TSan cannot model fences (GCC: -Wtsan); a seq_cst RMW orders the same way for it.
  std::atomic_ref<uint32_t>(seq_word).exchange(odd, std::memory_order_seq_cst);
#else
  page_access::store(seq_word, odd, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
  return odd;
}

ffclock_page header_for(uint32_t region_size, uint8_t counter_id, uint8_t time_type) {
  ffclock_page h{};
  h.vmclock.magic = FFCLOCK_VMCLOCK_MAGIC;
  h.vmclock.size = region_size;
  h.vmclock.version = FFCLOCK_VMCLOCK_VERSION;
  h.vmclock.counter_id = core::vmclock_counter_id(counter_id);
  h.vmclock.time_type = time_type;
  h.ext.magic = FFCLOCK_EXT_MAGIC;
  h.ext.version = FFCLOCK_EXT_VERSION;
  h.ext.size = sizeof(ffclock_page_ext);
  h.ext.counter_id = counter_id;
  return h;
}

// Marks a page no writer will update again: UNKNOWN, no error bound (readers that keep it
// mapped stop trusting it at once instead of when it goes stale).
void retire(ffclock_page& page) {
  const uint32_t odd = begin_write(page.vmclock.seq_count);
  page_access::store(page.vmclock.clock_status, uint8_t{FFCLOCK_STATUS_UNKNOWN});
  page_access::store(page.vmclock.flags, uint64_t{0});
  page_access::store(page.vmclock.seq_count, odd + 1, std::memory_order_release);
  futex_wake_all(&page.vmclock.seq_count);
}

// The writer state to continue from, or nullopt when the file is not a valid page. A page
// left mid-publication (odd sequence) continues from the journal when the dead writer
// completed it (its published fields may then be a mix of two publications), else from the
// published fields, which that writer had not touched yet.
std::optional<core::WriterState> recover_state(ffclock_page* page, size_t size) {
  ffclock_page copy{};
  page_access::for_each_field(copy, *page, [](auto& d, const auto& s) { d = page_access::load(s); });
  const auto decoded = core::decode_page(copy, size);
  if (!decoded.has_value()) return std::nullopt;
  const uint32_t seq = page_access::load(page->vmclock.seq_count);
  const Journal* j = journal_of(page, size);
  if ((seq & 1u) != 0 && j != nullptr && page_access::load(j->tag) == (kJournalMagic << 32 | seq)) {
    using page_access::load;
    core::WriterState s;
    s.mono.valid = load(j->mono_valid) != 0;
    s.mono.anchor_counter = load(j->mono_anchor);
    s.mono.base = Duration::from_fixed(page_math::join(load(j->mono_base_sec), load(j->mono_base_frac)));
    s.mono.rate = {load(j->mono_rate_frac), static_cast<uint8_t>(load(j->mono_rate_shift))};
    s.mono.origin = TaiTime::from_fixed(page_math::join(load(j->mono_origin_sec), load(j->mono_origin_frac)));
    s.step_generation = load(j->step_generation);
    s.heartbeat_count = load(j->heartbeat_count);
    return s;
  }
  return decoded->state;
}

struct NewPage {
  int fd;
  ffclock_page* page;
};

// Creates a page file with the given header at `path`: a locked temporary file in the same
// directory, initialised, then linked into place (`replace` false: fails with EEXIST if a
// page appeared meanwhile) or renamed over what is there (`replace` true).
core::Result<NewPage, PageWriterError> create_page_file(const std::string& path, uint8_t counter_id,
                                                        uint8_t time_type, bool replace) {
  std::string tmp = path + ".tmpXXXXXX";
  const int fd = mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return core::Unexpected{error(PageWriterError::Code::Create, "create " + tmp)};
  void* mem = MAP_FAILED;
  auto fail = [&](PageWriterError::Code code, const std::string& what) {
    auto e = error(code, what);
    if (mem != MAP_FAILED) munmap(mem, kFileSize);
    ::close(fd);
    ::unlink(tmp.c_str());
    return core::Result<NewPage, PageWriterError>(core::Unexpected{e});
  };
  if (fchmod(fd, 0644) != 0) return fail(PageWriterError::Code::Create, "chmod " + tmp);
  if (ftruncate(fd, kFileSize) != 0) return fail(PageWriterError::Code::Truncate, "ftruncate " + tmp);
  if (!lock_page(fd)) return fail(PageWriterError::Code::Create, "lock " + tmp);
  mem = mmap(nullptr, kFileSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (mem == MAP_FAILED) return fail(PageWriterError::Code::Map, "mmap " + tmp);
  initialise_page(*static_cast<ffclock_page*>(mem), kFileSize, counter_id, time_type);
  if (replace) {
    if (::rename(tmp.c_str(), path.c_str()) != 0)
      return fail(PageWriterError::Code::Rename, "rename to " + path);
  } else {
    if (::link(tmp.c_str(), path.c_str()) != 0) return fail(PageWriterError::Code::Rename, "link to " + path);
    ::unlink(tmp.c_str());
  }
  return NewPage{fd, static_cast<ffclock_page*>(mem)};
}

}  // namespace

void initialise_page(ffclock_page& page, uint32_t region_size, uint8_t counter_id, uint8_t time_type) {
  ffclock_page init = header_for(region_size, counter_id, time_type);
  init.vmclock.clock_status = FFCLOCK_STATUS_UNKNOWN;
  init.ext.source_stratum = 16;
  page_access::store(page.vmclock.seq_count, uint32_t{0}, std::memory_order_relaxed);
  page_access::for_each_field(page, init, [](auto& d, const auto& s) { page_access::store(d, s); });
}

PageWriter::PageWriter(ffclock_page* page, size_t size, bool mapped, Counter& counter,
                       core::MonotonicConfig mono)
    : page_(page), size_(size), mapped_(mapped), counter_(&counter), mono_(mono) {}

PageWriter::PageWriter(PageWriter&& other) noexcept
    : page_(std::exchange(other.page_, nullptr)),
      size_(other.size_),
      mapped_(std::exchange(other.mapped_, false)),
      counter_(other.counter_),
      mono_(other.mono_),
      state_(other.state_),
      path_(std::move(other.path_)),
      lock_fd_(std::exchange(other.lock_fd_, -1)) {}

PageWriter::~PageWriter() {
  if (mapped_ && page_ != nullptr) munmap(page_, size_);
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the writer lock
}

PageWriter PageWriter::over_memory(void* memory, size_t size, Counter& counter, core::MonotonicConfig mono) {
  auto* page = static_cast<ffclock_page*>(memory);
  initialise_page(*page, static_cast<uint32_t>(size), static_cast<uint8_t>(counter.info().kind));
  return PageWriter(page, size, false, counter, mono);
}

core::Result<PageWriter, PageWriterError> PageWriter::open_file(const std::string& path, Counter& counter,
                                                                core::MonotonicConfig mono) {
  const auto kind = static_cast<uint8_t>(counter.info().kind);
  auto made = [&](NewPage p) {
    PageWriter w(p.page, kFileSize, true, counter, mono);
    w.path_ = path;
    w.lock_fd_ = p.fd;
    return core::Result<PageWriter, PageWriterError>(std::move(w));
  };
  // Two rounds: a page another writer links into place between our open and our link is
  // found (and found locked) the second time.
  for (int round = 0; round < 2; ++round) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0 && errno == ENOENT) {
      auto created = create_page_file(path, kind, FFCLOCK_TIME_TAI, false);
      if (created.has_value()) return made(*created);
      if (created.error().err == EEXIST) continue;
      return core::Unexpected{created.error()};
    }
    if (fd >= 0 && !lock_page(fd)) {
      auto e = error(PageWriterError::Code::Locked, "another writer holds " + path);
      ::close(fd);
      return core::Unexpected{e};
    }
    // Restart: keep the inode readers already hold, and continue the monotonic clock.
    struct stat st {};
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        static_cast<size_t>(st.st_size) >= kFileSize) {
      void* mem = mmap(nullptr, kFileSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
      if (mem != MAP_FAILED) {
        auto* page = static_cast<ffclock_page*>(mem);
        if (const auto state = recover_state(page, kFileSize)) {
          PageWriter w(page, kFileSize, true, counter, mono);
          w.state_ = *state;
          w.path_ = path;
          w.lock_fd_ = fd;
          return w;
        }
        munmap(mem, kFileSize);
      }
    }
    // Not a page (or not ours): replace it atomically, holding its lock meanwhile.
    auto created = create_page_file(path, kind, FFCLOCK_TIME_TAI, true);
    if (fd >= 0) ::close(fd);
    if (created.has_value()) return made(*created);
    return core::Unexpected{created.error()};
  }
  errno = EEXIST;
  return core::Unexpected{error(PageWriterError::Code::Create, "create " + path)};
}

bool PageWriter::header_matches(const core::PageInput& input) const {
  return page_access::load(page_->ext.counter_id) == input.counter_id &&
         page_access::load(page_->vmclock.time_type) == core::page_time_type(input);
}

bool PageWriter::published() const {
  return state_.heartbeat_count != 0 || page_access::load(page_->ext.heartbeat_count) != 0;
}

bool PageWriter::remake_for(const core::PageInput& input) {
  const uint8_t id = input.counter_id;
  const uint8_t type = core::page_time_type(input);
  if (!path_.empty()) {
    auto created = create_page_file(path_, id, type, true);
    if (created.has_value()) {
      retire(*page_);
      if (mapped_) munmap(page_, size_);
      if (lock_fd_ >= 0) ::close(lock_fd_);
      page_ = created->page;
      size_ = kFileSize;
      mapped_ = true;
      lock_fd_ = created->fd;
      return true;
    }
  }
  // Memory, or no new file could be made: the header is rewritten in place, with an UNKNOWN
  // status in the same write section, so no reader sees the new header with old time.
  uint32_t& seq_word = page_->vmclock.seq_count;
  const uint32_t odd = begin_write(seq_word);
  const ffclock_page h = header_for(static_cast<uint32_t>(size_), id, type);
  page_access::for_each_header_field(*page_, h, [](auto& d, const auto& s) { page_access::store(d, s); });
  page_access::store(page_->vmclock.clock_status, uint8_t{FFCLOCK_STATUS_UNKNOWN});
  page_access::store(page_->vmclock.flags, uint64_t{0});
  page_access::store(seq_word, odd + 1, std::memory_order_release);
  return false;
}

uint64_t PageWriter::publish(const core::PageInput& input) {
  if (published() && !header_matches(input)) remake_for(input);
  uint64_t c0 = 0;
  publish_limited(input, std::numeric_limits<size_t>::max(), &c0);
  return c0;
}

size_t PageWriter::publish_interrupted(const core::PageInput& input, size_t stores) {
  if (published() && !header_matches(input)) remake_for(input);
  uint64_t c0 = 0;
  return publish_limited(input, stores, &c0);
}

size_t PageWriter::publish_limited(const core::PageInput& input, size_t budget, uint64_t* c0_out) {
  StoreBudget b(budget);
  uint32_t& seq_word = page_->vmclock.seq_count;
  if (!b.take()) return b.made();
  const uint32_t odd = begin_write(seq_word);
  const uint64_t c0 = counter_->read();
  *c0_out = c0;
  const core::EncodedPage encoded = core::encode_page(input, state_, c0, mono_);
  // The state this publication starts from, complete before any published field changes.
  if (Journal* j = journal_of(page_, size_)) {
    const page_math::Split base = page_math::split(state_.mono.base.fixed());
    const page_math::Split origin = page_math::split(state_.mono.origin.fixed());
    const uint64_t values[] = {
        state_.mono.valid ? 1u : 0u, state_.mono.anchor_counter, base.sec,   base.frac,
        state_.mono.rate.frac,       state_.mono.rate.shift,     origin.sec, origin.frac,
        state_.step_generation,      state_.heartbeat_count};
    uint64_t* fields[] = {&j->mono_valid,      &j->mono_anchor,     &j->mono_base_sec,   &j->mono_base_frac,
                          &j->mono_rate_frac,  &j->mono_rate_shift, &j->mono_origin_sec, &j->mono_origin_frac,
                          &j->step_generation, &j->heartbeat_count};
    static_assert(std::size(values) == std::size(fields));
    for (size_t i = 0; i < std::size(fields); ++i) {
      if (!b.store(*fields[i], values[i])) return b.made();
    }
    if (!b.store(j->tag, kJournalMagic << 32 | odd)) return b.made();
  }
  bool complete = true;
  // A page that never held a publication is still being created: its header is completed
  // in this first write section (no reader has seen a time from it), keeping the inode.
  if (!header_matches(input)) {
    const ffclock_page h =
        header_for(static_cast<uint32_t>(size_), input.counter_id, core::page_time_type(input));
    page_access::for_each_header_field(*page_, h, [&](auto& d, const auto& s) {
      if (complete) complete = b.store(d, s);
    });
  }
  page_access::for_each_published_field(*page_, encoded.page, [&](auto& d, const auto& s) {
    if (complete) complete = b.store(d, s);
  });
  if (!complete || !b.store(seq_word, odd + 1)) return b.made();
  state_ = encoded.next;
  futex_wake_all(&seq_word);
  return b.made();
}

}  // namespace ffclock::platform
