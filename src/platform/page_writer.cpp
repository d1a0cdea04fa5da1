// PageWriter: page file creation and the seqlock write protocol.
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
#include <utility>

#include "ffclock/page_access.hpp"

namespace ffclock::platform {
namespace {

#if defined(__SANITIZE_THREAD__)
#define FFCLOCK_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FFCLOCK_TSAN 1
#endif
#endif

PageWriterError error(PageWriterError::Code code, const std::string& what) {
  const int e = errno;
  return {code, e, what + ": " + std::strerror(e)};
}

void futex_wake_all(uint32_t* word) {
  // Shared (not FUTEX_PRIVATE_FLAG): readers in other processes wait on the same page.
  (void)syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

// Stores every field of `src` into the shared page with release semantics.
void store_all(ffclock_page& dst, const ffclock_page& src) {
  page_access::for_each_field(dst, src, [](auto& d, const auto& s) { page_access::store(d, s); });
}

}  // namespace

void initialise_page(ffclock_page& page, uint32_t region_size) {
  ffclock_page init{};
  init.vmclock.magic = FFCLOCK_VMCLOCK_MAGIC;
  init.vmclock.size = region_size;
  init.vmclock.version = FFCLOCK_VMCLOCK_VERSION;
  init.vmclock.counter_id = FFCLOCK_COUNTER_INVALID;
  init.vmclock.time_type = FFCLOCK_TIME_TAI;
  init.vmclock.clock_status = FFCLOCK_STATUS_UNKNOWN;
  init.ext.magic = FFCLOCK_EXT_MAGIC;
  init.ext.version = FFCLOCK_EXT_VERSION;
  init.ext.size = sizeof(ffclock_page_ext);
  init.ext.source_stratum = 16;
  page_access::store(page.vmclock.seq_count, uint32_t{0}, std::memory_order_relaxed);
  store_all(page, init);
}

PageWriter::PageWriter(ffclock_page* page, size_t size, bool mapped, Counter& counter, core::MonotonicConfig mono)
    : page_(page), size_(size), mapped_(mapped), counter_(&counter), mono_(mono) {}

PageWriter::PageWriter(PageWriter&& other) noexcept
    : page_(std::exchange(other.page_, nullptr)),
      size_(other.size_),
      mapped_(std::exchange(other.mapped_, false)),
      counter_(other.counter_),
      mono_(other.mono_),
      state_(other.state_) {}

PageWriter::~PageWriter() {
  if (mapped_ && page_ != nullptr) munmap(page_, size_);
}

PageWriter PageWriter::over_memory(void* memory, size_t size, Counter& counter, core::MonotonicConfig mono) {
  auto* page = static_cast<ffclock_page*>(memory);
  initialise_page(*page, static_cast<uint32_t>(size));
  return PageWriter(page, size, false, counter, mono);
}

core::Result<PageWriter, PageWriterError> PageWriter::open_file(const std::string& path, Counter& counter,
                                                                core::MonotonicConfig mono) {
  constexpr size_t kSize = FFCLOCK_PAGE_SIZE;
  // Restart: keep the inode readers already hold, and continue the monotonic clock.
  const int existing = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (existing >= 0) {
    struct stat st{};
    if (fstat(existing, &st) == 0 && S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) >= kSize) {
      void* mem = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, existing, 0);
      if (mem != MAP_FAILED) {
        auto* page = static_cast<ffclock_page*>(mem);
        ffclock_page copy{};
        page_access::for_each_field(copy, *page, [](auto& d, const auto& s) { d = page_access::load(s); });
        const auto decoded = core::decode_page(copy, kSize);
        if (decoded.has_value()) {
          ::close(existing);
          PageWriter w(page, kSize, true, counter, mono);
          w.state_ = decoded->state;
          return w;
        }
        munmap(mem, kSize);
      }
    }
    ::close(existing);  // not ours: replace it atomically below
  }

  std::string tmp = path + ".tmpXXXXXX";
  const int fd = mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return core::Unexpected{error(PageWriterError::Code::Create, "create " + tmp)};
  auto fail = [&](PageWriterError::Code code, const std::string& what) {
    auto e = error(code, what);
    ::close(fd);
    ::unlink(tmp.c_str());
    return core::Result<PageWriter, PageWriterError>(core::Unexpected{e});
  };
  if (fchmod(fd, 0644) != 0) return fail(PageWriterError::Code::Create, "chmod " + tmp);
  if (ftruncate(fd, kSize) != 0) return fail(PageWriterError::Code::Truncate, "ftruncate " + tmp);
  void* mem = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (mem == MAP_FAILED) return fail(PageWriterError::Code::Map, "mmap " + tmp);
  initialise_page(*static_cast<ffclock_page*>(mem), kSize);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    munmap(mem, kSize);
    return fail(PageWriterError::Code::Rename, "rename to " + path);
  }
  ::close(fd);
  return PageWriter(static_cast<ffclock_page*>(mem), kSize, true, counter, mono);
}

uint64_t PageWriter::publish(const core::PageInput& input) {
  uint32_t& seq_word = page_->vmclock.seq_count;
  const uint32_t seq = page_access::load(seq_word, std::memory_order_relaxed);
  const uint32_t odd = (seq + 1) | 1u;  // also recovers from a writer that died mid-update
#if defined(FFCLOCK_TSAN)
  // TSan cannot model fences (GCC: -Wtsan); a seq_cst RMW orders the same way for it.
  std::atomic_ref<uint32_t>(seq_word).exchange(odd, std::memory_order_seq_cst);
#else
  page_access::store(seq_word, odd, std::memory_order_relaxed);
  // The odd store must be visible before the counter is sampled (x86: MFENCE, then the
  // counter's own LFENCE;RDTSC).
  std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
  const uint64_t c0 = counter_->read();
  const core::EncodedPage encoded = core::encode_page(input, state_, c0, mono_);
  ffclock_page out = encoded.page;
  out.vmclock.size = static_cast<uint32_t>(size_);
  store_all(*page_, out);
  page_access::store(seq_word, odd + 1, std::memory_order_release);
  state_ = encoded.next;
  futex_wake_all(&seq_word);
  return c0;
}

}  // namespace ffclock::platform
