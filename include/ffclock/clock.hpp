// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The ffclock reader: header-only, no system call on the fast path.
//
// A Clock maps the shared page (or wraps any memory holding one) and turns a counter read
// into time: now() gives UTC with its bound and status, as cheap as clock_gettime;
// now_fast() UTC and status, cheaper; read() everything (TAI, bounds, esterror, leap state);
// elapsed() is the difference clock (period only, no offset); monotonic() never decreases;
// smeared() applies a leap smear to the (never smeared) published time. See docs/page.md.
//
// Seqlock reading follows docs/page.md ("Reader algorithm"): acquire load of seq_count, ordered counter read,
// acquire loads of the fields, relaxed re-load of seq_count; retried for at most spin_timeout, then
// ReadError::NoWriter (no writer holds the page: it died mid-publication) or ReadError::Busy
// (the caller falls back). Only wrap-safe integer math runs on data that may be torn;
// everything else runs after the snapshot is known to be consistent. Any page, however
// absurd, gives a reading or an error, never undefined behaviour: a UTC outside the years
// 137-9863 is refused (OutOfRange), bounds saturate at 2^32 s, so earliest and latest are
// always in the years 0000-9999.

#include <fcntl.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "ffclock/counter_read.hpp"
#include "ffclock/expected.hpp"
#include "ffclock/page.h"
#include "ffclock/page_access.hpp"
#include "ffclock/page_math.hpp"
#include "ffclock/smear.hpp"
#include "ffclock/time.hpp"

// Lambdas on the fast path must inline into the seqlock loop (GCC does not by itself).
#define FFCLOCK_ALWAYS_INLINE __attribute__((always_inline))

namespace ffclock {

// vmclock's clock_status values, plus DISRUPTED (host disruption seen by the reader).
enum class ClockStatus : uint8_t {
  Unknown = FFCLOCK_STATUS_UNKNOWN,
  Initializing = FFCLOCK_STATUS_INITIALIZING,
  Synchronized = FFCLOCK_STATUS_SYNCHRONIZED,
  FreeRunning = FFCLOCK_STATUS_FREERUNNING,
  Unreliable = FFCLOCK_STATUS_UNRELIABLE,
  Disrupted = FFCLOCK_STATUS_DISRUPTED,
};

// Where the clock is relative to the next leap (vmclock leap_indicator numbering).
enum class LeapState : uint8_t {
  None = FFCLOCK_LEAP_NONE,
  PendingInsert = FFCLOCK_LEAP_PRE_POS,
  PendingDelete = FFCLOCK_LEAP_PRE_NEG,
  Inserting = FFCLOCK_LEAP_POS,  // during 23:59:60
  PostInsert = FFCLOCK_LEAP_POST_POS,
  PostDelete = FFCLOCK_LEAP_POST_NEG,
};

enum class ReadError : uint8_t {
  Busy = 1,                // the writer held the seqlock through the whole spin timeout
  NotPublished = 2,        // nothing published yet (no monotonic segment)
  UnsupportedCounter = 3,  // the page's counter cannot be read on this machine
  NoWriter = 4,            // the sequence stayed odd and no writer holds the page: it died
  OutOfRange = 5,          // the page's UTC is outside the years 137-9863 (a corrupt page)
};

enum class OpenError : uint8_t {
  NotFound = 1,
  PermissionDenied,
  IoError,
  TooSmall,
  BadMagic,
  BadVersion,
  BadSize,
  NoExtension,
  BadExtVersion,
  NotRegularFile,  // a FIFO, device or directory: only a regular file can be a page
};

inline const char* to_string(OpenError e) {
  switch (e) {
    case OpenError::NotFound:
      return "clock page not found";
    case OpenError::PermissionDenied:
      return "permission denied opening the clock page";
    case OpenError::IoError:
      return "I/O error opening or mapping the clock page";
    case OpenError::TooSmall:
      return "file too small for a clock page";
    case OpenError::BadMagic:
      return "not a clock page (bad vmclock magic)";
    case OpenError::BadVersion:
      return "unsupported vmclock version";
    case OpenError::BadSize:
      return "clock page size field inconsistent with the file";
    case OpenError::NoExtension:
      return "vmclock page without the ffclock extension";
    case OpenError::BadExtVersion:
      return "unsupported ffclock extension version";
    case OpenError::NotRegularFile:
      return "the clock page path is not a regular file";
  }
  return "unknown error";
}
inline const char* to_string(ReadError e) {
  switch (e) {
    case ReadError::Busy:
      return "clock page busy (writer in progress)";
    case ReadError::NotPublished:
      return "nothing published in the clock page yet";
    case ReadError::UnsupportedCounter:
      return "the page's counter is not readable here";
    case ReadError::NoWriter:
      return "no writer: the clock page was left mid-update";
    case ReadError::OutOfRange:
      return "the clock page's time is out of range (years 137-9863)";
  }
  return "unknown error";
}

// An error bound the page does not give (or one beyond it: bounds saturate here).
inline constexpr Duration kUnbounded = Duration::seconds(int64_t{1} << 32);
// The instants a reading may name: RFC 3339 years 0000-9999.
inline constexpr UtcTime kMinReadableTime = UtcTime::from_unix(-62'167'219'200);
inline constexpr UtcTime kMaxReadableTime = UtcTime::from_unix(253'402'300'799, ~uint64_t{0});
// The UTC a reading may have: kUnbounded inside those, so that earliest and latest are
// always readable (years 137-9863; a page outside is corrupt, and refused).
inline constexpr int64_t kMinReadingSecond = -62'167'219'200 + (int64_t{1} << 32);
// (One second short of the end, so that latest never formats, rounded to the nanosecond, as
// the year 10000.)
inline constexpr int64_t kMaxReadingSecond = 253'402'300'798 - (int64_t{1} << 32);
// How far the counter may be behind the page's anchor (cross-CPU skew) before the reading is
// UNKNOWN: further behind, the page cannot be about this counter (ClockBound's causality
// breach).
inline constexpr Duration kBehindAnchorTolerance = Duration::milliseconds(1);

struct ClockReading {
  // User-provided so that building one in place does not zero-fill it first (rep stos is a
  // measurable share of now()); every member still has its initialiser.
  ClockReading() {}  // NOLINT(modernize-use-equals-default)

  TaiTime tai;
  UtcTime utc;        // POSIX UTC (a leap second repeats 23:59:59)
  UtcTime earliest;   // utc - maxerror (not before 0000-01-01)
  UtcTime latest;     // utc + maxerror (not after 9999-12-31T23:59:59.999...)
  Duration maxerror;  // kUnbounded when the page has no valid error bound (never more)
  Duration esterror;  // estimated error (one sigma); kUnbounded when not published
  ClockStatus status = ClockStatus::Unknown;
  LeapState leap = LeapState::None;
  // The host announced a disruption (its vmclock DISRUPTION_SOON / _IMMINENT, passed on by the
  // daemon): time is still good, but a migration or snapshot is coming.
  bool disruption_soon = false;
  bool disruption_imminent = false;
  int32_t tai_minus_utc = 0;
  uint64_t counter = 0;  // the counter value the reading was taken at
  uint64_t step_generation = 0;
  LeapEvent leap_event{0, 0, 0};  // delta 0: no leap scheduled
  SmearKind smear_hint = SmearKind::None;
  SmearWindow smear_window{0, 0};
};

// What now() returns: UTC, its error bound and the status.
struct BoundedTime {
  UtcTime utc;        // POSIX UTC (a leap second repeats 23:59:59)
  Duration maxerror;  // kUnbounded when the page has no valid error bound
  ClockStatus status = ClockStatus::Unknown;
  // utc -/+ maxerror, within the years 0000-9999.
  [[nodiscard]] UtcTime earliest() const { return std::max(utc - maxerror, kMinReadableTime); }
  [[nodiscard]] UtcTime latest() const { return std::min(utc + maxerror, kMaxReadableTime); }
};

// What now_fast() returns: clock_gettime's answer, with the status.
struct Timestamp {
  UtcTime utc;
  ClockStatus status = ClockStatus::Unknown;
};

inline constexpr const char* kDefaultPagePath = "/run/ffclock/page";
inline constexpr const char* kDefaultHostVmclockPath = "/dev/vmclock0";

// A counter source other than the page's own (tests, simulators): returns the counter value.
using CounterFn = uint64_t (*)(void* ctx);

struct ClockOptions {
  std::string host_vmclock_path = kDefaultHostVmclockPath;  // "" disables the host check
  const void* host_page = nullptr;                          // a host vmclock page already in memory (tests)
  CounterFn counter = nullptr;                              // overrides the page's counter_id
  void* counter_ctx = nullptr;
  // How long a read spins on a page being updated before it gives up (Busy or NoWriter).
  Duration spin_timeout = Duration::milliseconds(5);
};

class Clock {
 public:
  // Maps the page file read-only and validates it.
  [[nodiscard]] static Expected<Clock, OpenError> open(const std::string& path = kDefaultPagePath,
                                                       ClockOptions options = {});
  // Reads a page held in memory the caller keeps alive (tests, simulator, benchmarks).
  [[nodiscard]] static Expected<Clock, OpenError> over_memory(const void* page, size_t size,
                                                              ClockOptions options = {});

  Clock(Clock&& o) noexcept { take(std::move(o)); }
  Clock& operator=(Clock&& o) noexcept {
    if (this != &o) {
      release();
      take(std::move(o));
    }
    return *this;
  }
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  ~Clock() { release(); }

  // UTC with its error bound and status: the reading most callers need (ClockBound's now()),
  // as cheap as clock_gettime. Ordered counter read: never before earlier loads, so it is
  // causal across threads. Always the projection of read() at the same counter value.
  [[nodiscard]] FFCLOCK_ALWAYS_INLINE Expected<BoundedTime, ReadError> now() const {
    return quick_read<CounterRead::Ordered, BoundedTime>();
  }
  // UTC and status from an unordered counter read: cheaper still, but the counter may be read
  // a few ns early, before loads that precede the call (not causal across threads).
  [[nodiscard]] FFCLOCK_ALWAYS_INLINE Expected<Timestamp, ReadError> now_fast() const {
    return quick_read<CounterRead::Fast, Timestamp>();
  }
  // Everything the page says about now: TAI and UTC, both error estimates, leap state and
  // smear window, step generation, disruption flags (ordered counter read).
  [[nodiscard]] Expected<ClockReading, ReadError> read() const;
  // Difference clock: the span between two counter values, with the long-term period only.
  [[nodiscard]] Expected<Duration, ReadError> elapsed(uint64_t c0, uint64_t c1) const;
  // TAI-rate seconds since the page's monotonic origin; never decreases.
  [[nodiscard]] Expected<Duration, ReadError> monotonic() const;
  // UTC smeared over the next leap; the page's own window when it names this kind.
  [[nodiscard]] Expected<UtcTime, ReadError> smeared(SmearKind kind) const;
  // Blocks until a new publication completes or the timeout passes; true if it changed.
  [[nodiscard]] bool wait_for_update(Duration timeout) const;
  // Blocks until the page's step generation differs from `known` (absolute time was stepped:
  // a disruption, a re-anchor, a leap) or the timeout passes: the new generation, or nullopt.
  // Sleeps on the page's futex between publications; no publication is missed.
  [[nodiscard]] std::optional<uint64_t> wait_for_step(uint64_t known, Duration timeout) const;
  // The counter the page is calibrated against (for elapsed()).
  [[nodiscard]] Expected<uint64_t, ReadError> read_counter() const;
  // Every field of the page, consistent (seq_count holds the sequence it was read at).
  [[nodiscard]] Expected<ffclock_page, ReadError> snapshot() const;
  // True when a host vmclock device is mapped and compared.
  [[nodiscard]] bool has_host_vmclock() const { return host_ != nullptr; }

 private:
  Clock() = default;
  void take(Clock&& o) noexcept {
    page_ = std::exchange(o.page_, nullptr);
    host_ = std::exchange(o.host_, nullptr);
    page_map_ = std::exchange(o.page_map_, nullptr);
    page_map_size_ = std::exchange(o.page_map_size_, 0);
    host_map_ = std::exchange(o.host_map_, nullptr);
    fd_ = std::exchange(o.fd_, -1);
    counter_ = o.counter_;
    counter_ctx_ = o.counter_ctx_;
    native_ = o.native_;
    utc_type_ = o.utc_type_;
    tai_offset_flag_ = o.tai_offset_flag_;
    second_look_flags_ = o.second_look_flags_;
    spin_timeout_ns_ = o.spin_timeout_ns_;
  }
  void release() noexcept {
    if (page_map_ != nullptr) munmap(page_map_, page_map_size_);
    if (host_map_ != nullptr) munmap(host_map_, FFCLOCK_PAGE_SIZE);
    if (fd_ >= 0) ::close(fd_);
    page_map_ = host_map_ = nullptr;
    fd_ = -1;
  }

  static Expected<Clock, OpenError> validate(const ffclock_page* page, size_t size);
  // Reads the constant header and maps the host's vmclock page (map_host), if any.
  void attach_host(const ClockOptions& options);
  void map_host(const ClockOptions& options);
  static inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }
  // A counter other than the native one, read out of line (ordered: after the first sequence
  // load): the caller's counter function, CLOCK_MONOTONIC_RAW, the native one (a page whose
  // counter_id changed after it was opened), or none (ok false: this machine cannot read it).
  struct CounterValue {
    uint64_t value;
    bool ok;
  };
  [[gnu::cold, gnu::noinline]] CounterValue other_counter(const ffclock_page& p, bool ordered) const {
    if (counter_ != nullptr) return {counter_(counter_ctx_), true};
    const uint8_t id = page_access::load(p.ext.counter_id);
    if (id == kNativeCounter) return {ordered ? read_counter_after_loads() : read_counter_fast(), true};
    if (id == FFCLOCK_COUNTER_MONOTONIC_RAW) {
      timespec ts{};
      clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
      return {static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec), true};
    }
    return {0, false};
  }

  // Why a read gave up spinning: NoWriter when the page is a file no writer holds (the
  // writer's lock, page_writer.hpp), Busy otherwise (a writer preempted mid-publication).
  [[gnu::cold, gnu::noinline]] ReadError stuck() const {
    if (fd_ < 0) return ReadError::Busy;
    struct flock fl {};
    fl.l_type = F_RDLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(fd_, F_OFD_GETLK, &fl) != 0) return ReadError::Busy;
    return fl.l_type == F_UNLCK ? ReadError::NoWriter : ReadError::Busy;
  }
  // A spin bound in time, not in attempts (an attempt's cost varies by counter and machine):
  // the clock is read only every 64 failed attempts, so a writer that finishes within a few
  // microseconds costs no system clock read at all.
  struct SpinBudget {
    int64_t limit_ns;
    int64_t deadline_ns = -1;
    uint32_t failures = 0;
    [[gnu::cold, gnu::noinline]] bool check() {
      timespec ts{};
      clock_gettime(CLOCK_MONOTONIC, &ts);
      const int64_t now_ns = int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
      if (deadline_ns < 0) deadline_ns = now_ns + limit_ns;
      return now_ns >= deadline_ns;
    }
    // One more failed attempt; true when the time is up.
    bool exhausted() { return (++failures & 63u) == 0 && check(); }
  };

  enum class CounterRead : uint8_t { None, Fast, Ordered };
  // The counter named by counter_id into c: the native one inline, the others out of line;
  // false for a counter this machine cannot read.
  template <CounterRead Mode>
  [[gnu::always_inline]] bool counter_value(const ffclock_page& p, uint64_t& c) const {
    if (__builtin_expect(native_, 1)) {
      c = Mode == CounterRead::Ordered ? read_counter_after_loads() : read_counter_fast();
      return true;
    }
    const CounterValue cv = other_counter(p, Mode == CounterRead::Ordered);
    c = cv.value;
    return cv.ok;
  }
  // One seqlock attempt (docs/page.md, "Reader algorithm"): the sequence, the counter, the
  // fields (f(page, c): acquire loads), the sequence again, whose address depends on the counter
  // value when ordered. f may compute from the fields (wrap-safe integer math only: the copy
  // may be torn until the re-check says otherwise).
  enum class Attempt : uint8_t { Consistent, Changed, NoCounter };
  template <CounterRead Mode, class F>
  [[gnu::always_inline]] Attempt attempt(F&& f) const {
    // A local copy: page_ itself would be reloaded after each barrier below.
    const ffclock_page& p = *page_;
    const ffclock_vmclock_abi& v = p.vmclock;
    const uint32_t s0 = page_access::load(v.seq_count);
    if (__builtin_expect(s0 & 1u, 0)) return Attempt::Changed;
    uint64_t c = 0;
    if constexpr (Mode != CounterRead::None) {
      // counter_id is a constant header field: it needs no seqlock.
      if (!counter_value<Mode>(p, c)) return Attempt::NoCounter;
    }
    f(p, c);
    const uint32_t s1 = Mode == CounterRead::Ordered
                            ? load_after_counter(v.seq_count, c)
                            : page_access::load(v.seq_count, std::memory_order_relaxed);
    return __builtin_expect(s1 == s0, 1) ? Attempt::Consistent : Attempt::Changed;
  }
  // Attempts until one is consistent or the spin timeout passes: the error, if any.
  template <CounterRead Mode, class F>
  [[gnu::always_inline]] std::optional<ReadError> seqlock_read(F&& f) const {
    SpinBudget budget{spin_timeout_ns_};
    for (;;) {
      switch (attempt<Mode>(f)) {
        case Attempt::Consistent:
          return std::nullopt;
        case Attempt::NoCounter:
          return page_access::load(page_->ext.counter_id) == FFCLOCK_COUNTER_INVALID
                     ? ReadError::NotPublished
                     : ReadError::UnsupportedCounter;
        case Attempt::Changed:
          cpu_relax();
          if (budget.exhausted()) return stuck();
          break;
      }
    }
  }

  // The counter read inline by now(): the one this machine reads without a system call.
#if defined(__x86_64__) || defined(__i386__)
  static constexpr uint8_t kNativeCounter = FFCLOCK_COUNTER_X86_TSC;
#elif defined(__aarch64__)
  static constexpr uint8_t kNativeCounter = FFCLOCK_COUNTER_ARM_VCNT;
#else
  static constexpr uint8_t kNativeCounter = FFCLOCK_COUNTER_MONOTONIC_RAW;
#endif

  // The leap fields (copied only while LEAP_VALID is set).
  struct LeapFields {
    int64_t utc;
    int32_t smear_start, smear_end;
    int16_t tai_after;
    int8_t delta;
    uint8_t smear_kind;
  };
  // What a reading is made of, derived while the fields are loaded under the seqlock: each
  // field is consumed as soon as it is loaded, so that only these values (not the 17 raw
  // fields) are live at the re-check and they stay in registers. Only wrap-safe integer
  // math runs on the possibly torn copy (range-checked shifts, no division); a torn copy is
  // discarded by the retry, and nothing is stored in the result before the re-check.
  struct NowState {
    uint64_t c;
    int128 tai;
    int128 maxerror;
    double esterror_squared;  // s²; its root is taken after the re-check (infinite: none)
    uint64_t step_gen;
    uint64_t flags;  // vmclock flags
    int32_t offset;  // TAI - UTC without a leap
    ClockStatus status;
    bool leap;  // a leap is scheduled (LEAP_VALID, delta != 0): `leap_fields` holds it
  };
  static int128 monotonic_deadline(Duration timeout);
  // Waits until seq_count is even and differs from `from`, or the deadline (CLOCK_MONOTONIC ns).
  bool wait_for_seq_change(uint32_t from, int128 deadline) const;
  // now() and now_fast(): one inline seqlock attempt for the common page (fresh, no leap
  // scheduled, a known status and bound, counter at or after the anchor, host marker
  // unchanged); anything else, and every retry, is read() projected, so both always agree
  // with it.
  template <CounterRead Mode, class R>
  [[gnu::always_inline]] Expected<R, ReadError> quick_read() const;
  template <class R>
  [[gnu::cold, gnu::noinline]] Expected<R, ReadError> quick_read_slow() const {
    const auto r = read();
    if (!r) return Failure<ReadError>{r.error()};
    if constexpr (std::is_same_v<R, BoundedTime>) {
      return BoundedTime{r->utc, r->maxerror, r->status};
    } else {
      return Timestamp{r->utc, r->status};
    }
  }
  // Loads the fields and derives the state (inside the seqlock window, after the counter).
  [[gnu::always_inline]] void derive_now(const ffclock_page& p, NowState& s, LeapFields& leap,
                                         uint64_t c) const;
  // Stores the reading from a consistent state: no arithmetic beyond the bounds, no call
  // unless a leap is scheduled. Refuses (false, nothing stored) a UTC outside the years
  // 137-9863.
  [[gnu::always_inline]] static bool finish_now(Expected<ClockReading, ReadError>& result, const NowState& s,
                                                const LeapFields& leap);
  // Everything the inline attempt does not handle: the retry loop (odd or changed sequence),
  // other counters (CLOCK_MONOTONIC_RAW, invalid, unsupported) and the errors.
  // (Defined in the class: an out-of-class `inline` definition conflicts with noinline.)
  [[gnu::cold, gnu::noinline]] void read_slow(Expected<ClockReading, ReadError>& result) const {
    NowState s{};  // cold: zero-filled, so no maybe-uninitialized warning
    LeapFields leap{};
    const auto err = seqlock_read<CounterRead::Ordered>(
        [&](const ffclock_page& p, uint64_t c) FFCLOCK_ALWAYS_INLINE { derive_now(p, s, leap, c); });
    if (err) {
      result = Failure<ReadError>{*err};
      return;
    }
    finish_now(result, s, leap);
  }

  // A scheduled leap (only while the page announces one: months every few years), out of
  // line so that the common reading carries none of its code: POSIX UTC across the leap (and
  // its bounds), the leap state and the page's smear recommendation.
  [[gnu::cold, gnu::noinline]] static void apply_leap(ClockReading& out, LeapFields l) {
    // A leap the calendar cannot hold is no leap (a corrupt page must not reach the math).
    constexpr int64_t kLimit = int64_t{1} << 40;
    if (l.utc <= -kLimit || l.utc >= kLimit) return;
    const LeapEvent event{l.utc, l.delta, l.tai_after};
    const UtcTime utc = utc_from_tai(out.tai, event);
    // Nor is one whose UTC leaves the years 137-9863 (the page's offset and its post-leap
    // offset far apart): the bounds would leave the calendar.
    if (utc.unix_seconds() < kMinReadingSecond || utc.unix_seconds() > kMaxReadingSecond) return;
    out.leap_event = event;
    out.utc = utc;
    out.earliest = std::max(out.utc - out.maxerror, kMinReadableTime);
    out.latest = std::min(out.utc + out.maxerror, kMaxReadableTime);
    out.tai_minus_utc = static_cast<int32_t>((out.tai.fixed() - out.utc.fixed()) >> 64);
    out.smear_hint = static_cast<SmearKind>(l.smear_kind <= 3 ? l.smear_kind : 0);
    out.smear_window = {l.smear_start, l.smear_end};
    // τ: TAI minus the pre-leap offset; the leap occupies [L, L + delta) for an insertion.
    // PRE_* during the month at whose end the leap is (vmclock's "end of this month"),
    // POST_* during the month it starts.
    const int64_t tau = out.tai.unix_seconds() - (l.tai_after - l.delta);
    if (tau < l.utc) {
      if (tau >= page_math::utc_month_start(l.utc - 1)) {
        out.leap = l.delta > 0 ? LeapState::PendingInsert : LeapState::PendingDelete;
      }
    } else if (l.delta > 0 && tau < l.utc + l.delta) {
      out.leap = LeapState::Inserting;
    } else if (page_math::utc_month_start(tau) <= l.utc) {
      out.leap = l.delta > 0 ? LeapState::PostInsert : LeapState::PostDelete;
    }
  }

  const ffclock_page* page_ = nullptr;
  const ffclock_vmclock_abi* host_ = nullptr;
  void* page_map_ = nullptr;
  size_t page_map_size_ = 0;
  void* host_map_ = nullptr;
  CounterFn counter_ = nullptr;
  void* counter_ctx_ = nullptr;
  int64_t spin_timeout_ns_ = 5'000'000;
  int fd_ = -1;  // the page file, kept open to test for its writer's lock (stuck())
  // From the page's constant header (docs/page.md: a change of counter or timescale makes a
  // new page), read once: the native counter with no caller's counter, a UTC time_type.
  bool native_ = false;
  bool utc_type_ = false;
  // The extension flag under which the inline reads subtract the TAI offset: TAI_OFFSET_VALID
  // on a TAI page, none on a UTC page (a test and a conditional move, no branch).
  uint32_t tai_offset_flag_ = 0;
  // The extension flags that need a second look in the inline reads: LEAP_VALID (a leap
  // leaves them), and HOST_MARKER_VALID when a host page is mapped (the markers are compared).
  uint32_t second_look_flags_ = FFCLOCK_EXT_FLAG_LEAP_VALID;
};

// ---- implementation ----

inline Expected<Clock, OpenError> Clock::validate(const ffclock_page* page, size_t size) {
  using page_access::load;
  if (page == nullptr || size < sizeof(ffclock_vmclock_abi)) return Failure<OpenError>{OpenError::TooSmall};
  const ffclock_vmclock_abi& v = page->vmclock;
  if (load(v.magic) != FFCLOCK_VMCLOCK_MAGIC) return Failure<OpenError>{OpenError::BadMagic};
  if (load(v.version) != FFCLOCK_VMCLOCK_VERSION) return Failure<OpenError>{OpenError::BadVersion};
  const uint32_t declared = load(v.size);
  if (declared > size) return Failure<OpenError>{OpenError::BadSize};
  if (declared < sizeof(ffclock_page) || size < sizeof(ffclock_page)) {
    return Failure<OpenError>{declared >= sizeof(ffclock_vmclock_abi) ? OpenError::NoExtension
                                                                      : OpenError::BadSize};
  }
  if (load(page->ext.magic) != FFCLOCK_EXT_MAGIC) return Failure<OpenError>{OpenError::NoExtension};
  if (load(page->ext.version) != FFCLOCK_EXT_VERSION || load(page->ext.size) < sizeof(ffclock_page_ext)) {
    return Failure<OpenError>{OpenError::BadExtVersion};
  }
  Clock c;
  c.page_ = page;
  return c;
}

inline void Clock::attach_host(const ClockOptions& options) {
  counter_ = options.counter;
  counter_ctx_ = options.counter_ctx;
  native_ = counter_ == nullptr && page_access::load(page_->ext.counter_id) == kNativeCounter;
  utc_type_ = page_access::load(page_->vmclock.time_type) == FFCLOCK_TIME_UTC;
  tai_offset_flag_ = utc_type_ ? 0u : uint32_t{FFCLOCK_EXT_FLAG_TAI_OFFSET_VALID};
  spin_timeout_ns_ = std::max<int64_t>(options.spin_timeout.to_nanoseconds(), 0);
  map_host(options);
  second_look_flags_ =
      FFCLOCK_EXT_FLAG_LEAP_VALID | (host_ != nullptr ? uint32_t{FFCLOCK_EXT_FLAG_HOST_MARKER_VALID} : 0u);
}

inline void Clock::map_host(const ClockOptions& options) {
  if (options.host_page != nullptr) {
    host_ = static_cast<const ffclock_vmclock_abi*>(options.host_page);
    return;
  }
  if (options.host_vmclock_path.empty()) return;
  // An absent device is normal (no host vmclock, or a kernel without the driver).
  const int fd = ::open(options.host_vmclock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  void* mem = mmap(nullptr, FFCLOCK_PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (mem == MAP_FAILED) return;
  const auto* host = static_cast<const ffclock_vmclock_abi*>(mem);
  if (page_access::load(host->magic) != FFCLOCK_VMCLOCK_MAGIC) {
    munmap(mem, FFCLOCK_PAGE_SIZE);
    return;
  }
  host_map_ = mem;
  host_ = host;
}

inline Expected<Clock, OpenError> Clock::over_memory(const void* page, size_t size, ClockOptions options) {
  auto c = validate(static_cast<const ffclock_page*>(page), size);
  if (c) c->attach_host(options);
  return c;
}

inline Expected<Clock, OpenError> Clock::open(const std::string& path, ClockOptions options) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; only a regular file is accepted.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    return Failure<OpenError>{errno == ENOENT   ? OpenError::NotFound
                              : errno == EACCES ? OpenError::PermissionDenied
                                                : OpenError::IoError};
  }
  auto fail = [fd](OpenError e) {
    ::close(fd);
    return Expected<Clock, OpenError>{Failure<OpenError>{e}};
  };
  struct stat st {};
  if (fstat(fd, &st) != 0) return fail(OpenError::IoError);
  if (!S_ISREG(st.st_mode)) return fail(OpenError::NotRegularFile);
  if (static_cast<uint64_t>(st.st_size) < sizeof(ffclock_vmclock_abi)) return fail(OpenError::TooSmall);
  // Map only bytes the file has (a page past the end of a file raises SIGBUS when touched);
  // validate() then holds the page's size field to what is mapped.
  const size_t map_size = static_cast<uint64_t>(st.st_size) < FFCLOCK_PAGE_SIZE
                              ? static_cast<size_t>(st.st_size)
                              : FFCLOCK_PAGE_SIZE;
  void* mem = mmap(nullptr, map_size, PROT_READ, MAP_SHARED, fd, 0);
  if (mem == MAP_FAILED) return fail(OpenError::IoError);
  auto c = validate(static_cast<const ffclock_page*>(mem), map_size);
  if (!c) {
    munmap(mem, map_size);
    ::close(fd);
    return c;
  }
  c->page_map_ = mem;
  c->page_map_size_ = map_size;
  c->fd_ = fd;
  c->attach_host(options);
  return c;
}

// GCC cannot see that the fields are always loaded before use (the retry loop runs at
// least once, and a failed read returns before they are read); zero-filling them would
// cost a block store on the fast path.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
inline void Clock::derive_now(const ffclock_page& p, NowState& s, LeapFields& leap, uint64_t c) const {
  using page_access::load;
  const ffclock_vmclock_abi& v = p.vmclock;
  const ffclock_page_ext& x = p.ext;
  s.c = c;
  // Absolute time T1 + (c - C1) * P (the leap fields only when the page schedules a leap, the
  // host marker only when a host page is compared, the error terms only when valid).
  const uint64_t anchor = load(v.counter_value);
  const uint8_t shift = load(v.counter_period_shift);
  const uint64_t period = load(v.counter_period_frac_sec);
  const uint64_t sec = load(v.time_sec);
  const uint64_t frac = load(v.time_frac_sec);
  const int128 t = page_math::time_at(c, anchor, period, shift, sec, frac);
  const uint64_t flags = load(v.flags);
  s.flags = flags;
  s.maxerror = kUnbounded.fixed();
  if (__builtin_expect((flags & FFCLOCK_FLAG_TIME_MAXERROR_VALID) != 0, 1)) {
    const uint64_t maxerr_ns = load(v.time_maxerror_nanosec);
    const uint64_t rate = load(v.counter_period_maxerror_rate_frac_sec);
    s.maxerror = page_math::error_bound_at(c, anchor, maxerr_ns, rate, shift);
  }
  s.esterror_squared = __builtin_inf();
  if (__builtin_expect((flags & FFCLOCK_FLAG_TIME_ESTERROR_VALID) != 0, 1)) {
    const uint64_t esterr_ns = load(v.time_esterror_nanosec);
    const uint64_t rate = load(v.counter_period_esterror_rate_frac_sec);
    s.esterror_squared = page_math::estimate_squared_at(c, anchor, esterr_ns, rate, shift);
  }
  // TAI and UTC differ by whole seconds without a leap (UTC is derived from TAI at the end).
  // The offset is the extension's (vmclock's tai_offset_sec has no agreed sign, page.h).
  const uint64_t ext_flags = load(x.flags);
  const int32_t offset = (ext_flags & FFCLOCK_EXT_FLAG_TAI_OFFSET_VALID) ? load(x.tai_minus_utc) : 0;
  s.tai = page_math::wrap_add(t, utc_type_ ? int128{offset} << 64 : 0);
  s.offset = offset;
  // Status: the page's, aged by the staleness limits (signed distance from the anchor).
  const uint8_t raw = load(v.clock_status);
  ClockStatus st = raw <= FFCLOCK_STATUS_UNRELIABLE ? static_cast<ClockStatus>(raw) : ClockStatus::Unknown;
  const uint64_t stale = load(x.stale_after_counter);
  const uint64_t void_after = load(x.void_after_counter);
  if (page_math::past(c, anchor, void_after)) {
    st = ClockStatus::Unknown;
  } else if (page_math::past(c, anchor, stale) &&
             (st == ClockStatus::Synchronized || st == ClockStatus::Initializing)) {
    st = ClockStatus::FreeRunning;
  }
  // A counter behind the anchor beyond cross-CPU skew: the page is not about this counter
  // (another machine's, or one reset under us); extrapolating backwards would give
  // SYNCHRONIZED time that is wrong by the distance.
  if (__builtin_expect(static_cast<int64_t>(c - anchor) < 0, 0) &&
      page_math::scale(anchor - c, period, shift) > static_cast<uint128>(kBehindAnchorTolerance.fixed())) {
    st = ClockStatus::Unknown;
  }
  if (host_ != nullptr && (ext_flags & FFCLOCK_EXT_FLAG_HOST_MARKER_VALID) &&
      load(host_->disruption_marker) != load(x.host_disruption_marker)) {
    st = ClockStatus::Disrupted;  // the host moved us before the daemon could react
  }
  s.status = st;
  s.step_gen = load(x.step_generation);
  s.leap = false;
  if (__builtin_expect((ext_flags & FFCLOCK_EXT_FLAG_LEAP_VALID) != 0, 0)) {
    leap.utc = load(x.leap_utc_sec);
    leap.delta = load(x.leap_delta);
    leap.tai_after = load(x.tai_minus_utc_after);
    leap.smear_kind = load(x.smear_kind);
    leap.smear_start = load(x.smear_start_rel_sec);
    leap.smear_end = load(x.smear_end_rel_sec);
    s.leap = leap.delta == 1 || leap.delta == -1;  // vmclock and IERS know only one second
  }
}

inline bool Clock::finish_now(Expected<ClockReading, ReadError>& result, const NowState& s,
                              const LeapFields& leap) {
  const int128 utc = page_math::wrap_add(s.tai, -(int128{s.offset} << 64));
  // A corrupt but consistent page: refuse rather than name an instant no calendar holds.
  // One unsigned compare of the seconds word (utc's high half) against the range.
  const auto utc_sec = static_cast<uint64_t>(static_cast<uint128>(utc) >> 64);
  const uint64_t since_min = utc_sec - static_cast<uint64_t>(kMinReadingSecond);
  if (__builtin_expect(since_min > static_cast<uint64_t>(kMaxReadingSecond - kMinReadingSecond), 0)) {
    result = Failure<ReadError>{ReadError::OutOfRange};
    return false;
  }
  ClockReading& out = result.emplace();
  out.tai = TaiTime::from_fixed(s.tai);
  out.utc = UtcTime::from_fixed(utc);
  out.maxerror = Duration::from_fixed(s.maxerror);
  out.esterror = Duration::from_fixed(page_math::estimate_from_squared(s.esterror_squared));
  // In range: maxerror <= kUnbounded keeps both readable, and nothing overflows.
  out.earliest = UtcTime::from_fixed(utc - s.maxerror);
  out.latest = UtcTime::from_fixed(utc + s.maxerror);
  out.status = s.status;
  out.disruption_soon = (s.flags & FFCLOCK_FLAG_DISRUPTION_SOON) != 0;
  out.disruption_imminent = (s.flags & FFCLOCK_FLAG_DISRUPTION_IMMINENT) != 0;
  // No leap scheduled: UTC is TAI minus the page's offset, the leap state None.
  out.tai_minus_utc = s.offset;
  out.leap_event = LeapEvent{0, 0, s.offset};
  out.counter = s.c;
  out.step_generation = s.step_gen;
  if (__builtin_expect(s.leap, 0)) apply_leap(out, leap);
  return true;
}

inline Expected<ClockReading, ReadError> Clock::read() const {
  // One named result for every outcome, so that it is built in the caller's slot; it starts
  // as a failure (two byte stores) and the reading is emplaced only once the copy is
  // consistent, so its member initialisers are dead stores the compiler drops.
  Expected<ClockReading, ReadError> result{Failure<ReadError>{ReadError::Busy}};
  NowState s;
  LeapFields leap;  // in memory, touched only while a leap is scheduled
  if (__builtin_expect(
          attempt<CounterRead::Ordered>([&](const ffclock_page& p, uint64_t c) FFCLOCK_ALWAYS_INLINE {
            derive_now(p, s, leap, c);
          }) == Attempt::Consistent,
          1)) {
    finish_now(result, s, leap);
  } else {
    read_slow(result);
  }
  return result;
}

template <Clock::CounterRead Mode, class R>
inline Expected<R, ReadError> Clock::quick_read() const {
  // One seqlock attempt, as attempt() does it, written out so that every test is a branch to
  // read(): a torn copy may fail a test, and read() then retries. Values are kept in 64-bit
  // words (GCC sends 128-bit temporaries through the stack, on the path from the counter to
  // the result).
  using page_access::load;
  constexpr bool kBound = std::is_same_v<R, BoundedTime>;
  const ffclock_page& p = *page_;
  const ffclock_vmclock_abi& v = p.vmclock;
  const ffclock_page_ext& x = p.ext;
  const uint32_t seq = load(v.seq_count);
  if (__builtin_expect((seq & 1u) != 0, 0)) return quick_read_slow<R>();
  // Another counter than the native one (a test's or a simulator's counter function,
  // CLOCK_MONOTONIC_RAW) goes through the same tests.
  uint64_t c;
  if (!counter_value<Mode>(p, c)) return quick_read_slow<R>();
  const uint64_t anchor = load(v.counter_value);
  const uint8_t shift = load(v.counter_period_shift);
  const uint64_t d = c - anchor;
  const auto sd = static_cast<int64_t>(d);
  // Fresh: at or after the anchor, neither stale nor void (the status needs no ageing); a
  // shift below 64 (mul_shift_add's).
  if (__builtin_expect(sd < 0 || sd > static_cast<int64_t>(load(x.stale_after_counter) - anchor) ||
                           sd > static_cast<int64_t>(load(x.void_after_counter) - anchor) || shift >= 64,
                       0))
    return quick_read_slow<R>();
  // No leap scheduled, and the host's marker unchanged when both pages have one.
  const uint32_t ext_flags = load(x.flags);
  const uint32_t look = ext_flags & second_look_flags_;
  if (__builtin_expect(look != 0, 0) && (look != FFCLOCK_EXT_FLAG_HOST_MARKER_VALID ||
                                         load(host_->disruption_marker) != load(x.host_disruption_marker)))
    return quick_read_slow<R>();
  // A status vmclock defines (read() gives UNKNOWN for the others).
  const uint8_t raw_status = load(v.clock_status);
  if (__builtin_expect(raw_status > FFCLOCK_STATUS_UNRELIABLE, 0)) return quick_read_slow<R>();
  // UTC = T1 - (TAI - UTC) + (c - C1) * P. The offset is whole seconds.
  const int64_t offset = (ext_flags & tai_offset_flag_) != 0 ? load(x.tai_minus_utc) : 0;
  const page_math::Split utc =
      page_math::mul_shift_add(d, load(v.counter_period_frac_sec), shift,
                               {load(v.time_sec) - static_cast<uint64_t>(offset), load(v.time_frac_sec)});
  // Between 1970 and 6325 (2^37 s): one test, inside read()'s range.
  static_assert(kMinReadingSecond < 0 && kMaxReadingSecond >= (int64_t{1} << 37));
  if (__builtin_expect((utc.sec >> 37) != 0, 0)) return quick_read_slow<R>();
  // The bound (now() only): time_maxerror + (c - C1) * rate, saturated at read()'s kUnbounded.
  page_math::Split err{};
  if constexpr (kBound) {
    if (__builtin_expect((load(v.flags) & FFCLOCK_FLAG_TIME_MAXERROR_VALID) == 0, 0))
      return quick_read_slow<R>();
    err = page_math::error_bound_ahead(d, load(v.time_maxerror_nanosec),
                                       load(v.counter_period_maxerror_rate_frac_sec), shift);
  }
  // The sequence again, at an address that depends on the counter when ordered (counter_read.hpp).
  const uint32_t seq2 = Mode == CounterRead::Ordered ? load_after_counter(v.seq_count, c)
                                                     : load(v.seq_count, std::memory_order_relaxed);
  if (__builtin_expect(seq2 != seq, 0)) return quick_read_slow<R>();
  const UtcTime t = UtcTime::from_fixed(page_math::join_words(utc));
  const auto status = static_cast<ClockStatus>(raw_status);
  if constexpr (kBound) {
    return BoundedTime{t, Duration::from_fixed(page_math::join_words(err)), status};
  } else {
    return Timestamp{t, status};
  }
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

inline Expected<Duration, ReadError> Clock::elapsed(uint64_t c0, uint64_t c1) const {
  struct P {
    uint64_t frac;
    uint8_t shift;
  };
  using page_access::load;
  P p{};
  const auto err = seqlock_read<CounterRead::None>([&](const ffclock_page& pg, uint64_t) {
    p = {load(pg.ext.period_frac_sec), load(pg.ext.period_shift)};
    if (p.frac == 0) p = {load(pg.vmclock.counter_period_frac_sec), load(pg.vmclock.counter_period_shift)};
  });
  if (err) return Failure<ReadError>{*err};
  return Duration::from_fixed(page_math::scale_signed(c1, c0, p.frac, p.shift));
}

inline Expected<Duration, ReadError> Clock::monotonic() const {
  struct M {
    uint64_t c, anchor, sec, frac, period, flags;
    uint8_t shift;
  };
  using page_access::load;
  M m{};
  const auto err =
      seqlock_read<CounterRead::Ordered>([&](const ffclock_page& pg, uint64_t c) FFCLOCK_ALWAYS_INLINE {
        const ffclock_page_ext& x = pg.ext;
        m = M{c,
              load(x.mono_counter),
              load(x.mono_sec),
              load(x.mono_frac),
              load(x.mono_period_frac_sec),
              load(x.flags),
              load(x.mono_period_shift)};
      });
  if (err) return Failure<ReadError>{*err};
  if (!(m.flags & FFCLOCK_EXT_FLAG_MONOTONIC_VALID)) return Failure<ReadError>{ReadError::NotPublished};
  return Duration::from_fixed(page_math::monotonic_at(m.c, m.anchor, m.period, m.shift, m.sec, m.frac));
}

inline Expected<UtcTime, ReadError> Clock::smeared(SmearKind kind) const {
  const auto r = read();
  if (!r) return Failure<ReadError>{r.error()};
  if (r->leap_event.delta == 0) return r->utc;
  const SmearWindow w = r->smear_hint == kind ? r->smear_window : standard_window(kind);
  return smeared_utc(r->tai, r->leap_event, kind, w);
}

inline Expected<uint64_t, ReadError> Clock::read_counter() const {
  uint64_t counter = 0;
  const auto err = seqlock_read<CounterRead::Ordered>([&](const ffclock_page&, uint64_t c) { counter = c; });
  if (err) return Failure<ReadError>{*err};
  return counter;
}

inline Expected<ffclock_page, ReadError> Clock::snapshot() const {
  ffclock_page p{};
  const auto err = seqlock_read<CounterRead::None>([&](const ffclock_page& pg, uint64_t) {
    page_access::for_each_field(p, pg, [](auto& d, const auto& src) { d = page_access::load(src); });
    p.vmclock.seq_count = page_access::load(pg.vmclock.seq_count);  // == s0 when consistent
  });
  if (err) return Failure<ReadError>{*err};
  return p;
}

inline int128 Clock::monotonic_deadline(Duration timeout) {
  timespec now_ts{};
  clock_gettime(CLOCK_MONOTONIC, &now_ts);
  return int128{now_ts.tv_sec} * 1'000'000'000 + now_ts.tv_nsec + timeout.to_nanoseconds();
}

inline bool Clock::wait_for_seq_change(uint32_t from, int128 deadline) const {
  auto* word = const_cast<uint32_t*>(&page_->vmclock.seq_count);
  for (;;) {
    const uint32_t cur = page_access::load(*word);
    if (cur != from && (cur & 1u) == 0) return true;
    timespec now_ts{};
    clock_gettime(CLOCK_MONOTONIC, &now_ts);
    const int128 left = deadline - (int128{now_ts.tv_sec} * 1'000'000'000 + now_ts.tv_nsec);
    if (left <= 0) return false;
    const timespec rel{static_cast<time_t>(left / 1'000'000'000), static_cast<long>(left % 1'000'000'000)};
    // Shared futex (no FUTEX_PRIVATE_FLAG): the writer is another process. Read-only
    // mappings are fine for FUTEX_WAIT.
    (void)syscall(SYS_futex, word, FUTEX_WAIT, cur, &rel, nullptr, 0);
  }
}

inline bool Clock::wait_for_update(Duration timeout) const {
  return wait_for_seq_change(page_access::load(page_->vmclock.seq_count), monotonic_deadline(timeout));
}

inline std::optional<uint64_t> Clock::wait_for_step(uint64_t known, Duration timeout) const {
  const int128 deadline = monotonic_deadline(timeout);
  for (;;) {
    // The sequence before the look: a publication after it wakes the wait below.
    const uint32_t seq = page_access::load(page_->vmclock.seq_count);
    if (auto snap = snapshot(); snap && snap->ext.step_generation != known) return snap->ext.step_generation;
    if (!wait_for_seq_change(seq & ~1u, deadline)) return std::nullopt;
  }
}

}  // namespace ffclock
