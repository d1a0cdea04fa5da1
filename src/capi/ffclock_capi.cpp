// SPDX-License-Identifier: BSD-2-Clause
// The C API over the header-only reader: error codes in, no exceptions out.
#include <cstddef>
#include <new>
#include <optional>
#include <string>
#include <type_traits>

#include "ffclock/clock.hpp"
#include "ffclock/ffclock.h"

struct ffclock_handle {
  ffclock::Clock clock;
};

namespace {

using ffclock::OpenError;
using ffclock::ReadError;

int code(OpenError e) {
  switch (e) {
    case OpenError::NotFound:
      return FFCLOCK_E_NOT_FOUND;
    case OpenError::PermissionDenied:
      return FFCLOCK_E_PERMISSION;
    case OpenError::IoError:
      return FFCLOCK_E_IO;
    case OpenError::TooSmall:
      return FFCLOCK_E_TOO_SMALL;
    case OpenError::BadMagic:
      return FFCLOCK_E_BAD_MAGIC;
    case OpenError::BadVersion:
      return FFCLOCK_E_BAD_VERSION;
    case OpenError::BadSize:
      return FFCLOCK_E_BAD_SIZE;
    case OpenError::NoExtension:
      return FFCLOCK_E_NO_EXTENSION;
    case OpenError::BadExtVersion:
      return FFCLOCK_E_BAD_EXT_VERSION;
    case OpenError::NotRegularFile:
      return FFCLOCK_E_NOT_REGULAR_FILE;
  }
  return FFCLOCK_E_IO;
}

int code(ReadError e) {
  switch (e) {
    case ReadError::Busy:
      return FFCLOCK_E_BUSY;
    case ReadError::NotPublished:
      return FFCLOCK_E_NOT_PUBLISHED;
    case ReadError::UnsupportedCounter:
      return FFCLOCK_E_UNSUPPORTED_COUNTER;
    case ReadError::NoWriter:
      return FFCLOCK_E_NO_WRITER;
    case ReadError::OutOfRange:
      return FFCLOCK_E_OUT_OF_RANGE;
  }
  return FFCLOCK_E_BUSY;
}

// True when a caller's struct of `size` bytes holds `Member` (structs grow at the end).
#define FFCLOCK_HAS(ptr, member) \
  ((ptr)->size >= offsetof(std::remove_pointer_t<decltype(ptr)>, member) + sizeof((ptr)->member))

std::optional<ffclock::ClockOptions> options_from(const ffclock_options* o) {
  ffclock::ClockOptions opts;
  if (o == nullptr) return opts;
  if (!FFCLOCK_HAS(o, counter_ctx)) return std::nullopt;  // the first version's fields
  if (o->host_vmclock_path != nullptr) opts.host_vmclock_path = o->host_vmclock_path;
  opts.counter = o->counter;
  opts.counter_ctx = o->counter_ctx;
  if (FFCLOCK_HAS(o, spin_timeout_ns) && o->spin_timeout_ns != 0) {
    opts.spin_timeout = o->spin_timeout_ns < 0 ? ffclock::Duration::zero()
                                               : ffclock::Duration::nanoseconds(o->spin_timeout_ns);
  }
  return opts;
}

template <ffclock::Timescale S>
timespec to_c(ffclock::Time<S> t) {
  const auto s = t.split_nanos();
  return {static_cast<time_t>(s.sec), static_cast<long>(s.nsec)};
}
timespec to_c(ffclock::Duration d) { return to_c(ffclock::UtcTime::from_fixed(d.fixed())); }

int wrap(ffclock::Expected<ffclock::Clock, OpenError> c, ffclock_handle** out) {
  if (!c) return code(c.error());
  auto* h = new (std::nothrow) ffclock_handle{std::move(c).value()};
  if (h == nullptr) return FFCLOCK_E_NO_MEMORY;
  *out = h;
  return FFCLOCK_OK;
}

}  // namespace

extern "C" {

int ffclock_open(const char* path, const ffclock_options* opts, ffclock_handle** out) {
  if (out == nullptr) return FFCLOCK_E_INVALID_ARGUMENT;
  *out = nullptr;
  try {
    const auto o = options_from(opts);
    if (!o) return FFCLOCK_E_INVALID_ARGUMENT;
    return wrap(ffclock::Clock::open(path != nullptr ? path : FFCLOCK_DEFAULT_PAGE_PATH, *o), out);
  } catch (...) {
    return FFCLOCK_E_NO_MEMORY;  // only std::string allocation can throw
  }
}

int ffclock_open_memory(const void* page, size_t size, const ffclock_options* opts, ffclock_handle** out) {
  if (out == nullptr || page == nullptr) return FFCLOCK_E_INVALID_ARGUMENT;
  *out = nullptr;
  try {
    const auto o = options_from(opts);
    if (!o) return FFCLOCK_E_INVALID_ARGUMENT;
    return wrap(ffclock::Clock::over_memory(page, size, *o), out);
  } catch (...) {
    return FFCLOCK_E_NO_MEMORY;
  }
}

void ffclock_close(ffclock_handle* h) { delete h; }

int ffclock_now_read(const ffclock_handle* h, ffclock_now* out) {
  if (h == nullptr || out == nullptr || !FFCLOCK_HAS(out, step_generation)) return FFCLOCK_E_INVALID_ARGUMENT;
  const auto r = h->clock.read();
  if (!r) return code(r.error());
  out->status = static_cast<uint8_t>(r->status);
  out->leap = static_cast<uint8_t>(r->leap);
  out->tai_minus_utc = r->tai_minus_utc;
  out->utc = to_c(r->utc);
  out->tai = to_c(r->tai);
  out->earliest = to_c(r->earliest);
  out->latest = to_c(r->latest);
  out->maxerror_nanosec = static_cast<uint64_t>(r->maxerror.to_nanoseconds());  // 0 .. 2^32 s
  out->esterror_nanosec = static_cast<uint64_t>(r->esterror.to_nanoseconds());
  out->counter = r->counter;
  out->step_generation = r->step_generation;
  if (FFCLOCK_HAS(out, flags)) {
    out->flags = (r->disruption_soon ? FFCLOCK_FLAG_DISRUPTION_SOON : 0) |
                 (r->disruption_imminent ? FFCLOCK_FLAG_DISRUPTION_IMMINENT : 0);
  }
  return FFCLOCK_OK;
}

int ffclock_gettime(const ffclock_handle* h, timespec* utc, uint64_t* maxerror_nanosec, int* status) {
  if (h == nullptr || utc == nullptr) return FFCLOCK_E_INVALID_ARGUMENT;
  const auto r = h->clock.now();
  if (!r) return code(r.error());
  *utc = to_c(r->utc);
  if (maxerror_nanosec != nullptr) *maxerror_nanosec = static_cast<uint64_t>(r->maxerror.to_nanoseconds());
  if (status != nullptr) *status = static_cast<int>(r->status);
  return FFCLOCK_OK;
}

int ffclock_elapsed_ns(const ffclock_handle* h, uint64_t c0, uint64_t c1, int64_t* out_ns) {
  if (h == nullptr || out_ns == nullptr) return FFCLOCK_E_INVALID_ARGUMENT;
  const auto r = h->clock.elapsed(c0, c1);
  if (!r) return code(r.error());
  *out_ns = r->to_nanoseconds();
  return FFCLOCK_OK;
}

int ffclock_monotonic(const ffclock_handle* h, timespec* out) {
  if (h == nullptr || out == nullptr) return FFCLOCK_E_INVALID_ARGUMENT;
  const auto r = h->clock.monotonic();
  if (!r) return code(r.error());
  *out = to_c(*r);
  return FFCLOCK_OK;
}

int ffclock_smeared(const ffclock_handle* h, int kind, timespec* out) {
  if (h == nullptr || out == nullptr || kind < 0 || kind > static_cast<int>(FFCLOCK_SMEAR_COSINE))
    return FFCLOCK_E_INVALID_ARGUMENT;
  const auto r = h->clock.smeared(static_cast<ffclock::SmearKind>(kind));
  if (!r) return code(r.error());
  *out = to_c(*r);
  return FFCLOCK_OK;
}

int ffclock_read_counter(const ffclock_handle* h, uint64_t* out) {
  if (h == nullptr || out == nullptr) return FFCLOCK_E_INVALID_ARGUMENT;
  const auto r = h->clock.read_counter();
  if (!r) return code(r.error());
  *out = *r;
  return FFCLOCK_OK;
}

int ffclock_wait_for_update(const ffclock_handle* h, int64_t timeout_ns) {
  if (h == nullptr || timeout_ns < 0) return FFCLOCK_E_INVALID_ARGUMENT;
  return h->clock.wait_for_update(ffclock::Duration::nanoseconds(timeout_ns)) ? 1 : 0;
}

int ffclock_wait_for_step(const ffclock_handle* h, uint64_t known_generation, int64_t timeout_ns,
                          uint64_t* out_generation) {
  if (h == nullptr || out_generation == nullptr || timeout_ns < 0) return FFCLOCK_E_INVALID_ARGUMENT;
  const auto g = h->clock.wait_for_step(known_generation, ffclock::Duration::nanoseconds(timeout_ns));
  if (!g) return 0;
  *out_generation = *g;
  return 1;
}

const char* ffclock_strerror(int c) {
  switch (c) {
    case FFCLOCK_OK:
      return "success";
    case FFCLOCK_E_NOT_FOUND:
      return ffclock::to_string(OpenError::NotFound);
    case FFCLOCK_E_PERMISSION:
      return ffclock::to_string(OpenError::PermissionDenied);
    case FFCLOCK_E_IO:
      return ffclock::to_string(OpenError::IoError);
    case FFCLOCK_E_TOO_SMALL:
      return ffclock::to_string(OpenError::TooSmall);
    case FFCLOCK_E_BAD_MAGIC:
      return ffclock::to_string(OpenError::BadMagic);
    case FFCLOCK_E_BAD_VERSION:
      return ffclock::to_string(OpenError::BadVersion);
    case FFCLOCK_E_BAD_SIZE:
      return ffclock::to_string(OpenError::BadSize);
    case FFCLOCK_E_NO_EXTENSION:
      return ffclock::to_string(OpenError::NoExtension);
    case FFCLOCK_E_BAD_EXT_VERSION:
      return ffclock::to_string(OpenError::BadExtVersion);
    case FFCLOCK_E_BUSY:
      return ffclock::to_string(ReadError::Busy);
    case FFCLOCK_E_NOT_PUBLISHED:
      return ffclock::to_string(ReadError::NotPublished);
    case FFCLOCK_E_UNSUPPORTED_COUNTER:
      return ffclock::to_string(ReadError::UnsupportedCounter);
    case FFCLOCK_E_NOT_REGULAR_FILE:
      return ffclock::to_string(OpenError::NotRegularFile);
    case FFCLOCK_E_NO_WRITER:
      return ffclock::to_string(ReadError::NoWriter);
    case FFCLOCK_E_OUT_OF_RANGE:
      return ffclock::to_string(ReadError::OutOfRange);
    case FFCLOCK_E_INVALID_ARGUMENT:
      return "invalid argument";
    case FFCLOCK_E_NO_MEMORY:
      return "out of memory";
    default:
      return "unknown ffclock error";
  }
}

}  // extern "C"
