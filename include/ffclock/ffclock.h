/* ffclock C API: read the shared clock page from C (or any language with a C FFI).
 *
 * A thin wrapper over the header-only C++ reader (ffclock/clock.hpp): an opaque handle,
 * functions that return 0 or a negative FFCLOCK_E_* code, results through pointers, and no
 * exception ever crosses this boundary. Reads make no system call (unless the page's counter
 * is CLOCK_MONOTONIC_RAW). Link with ffclock_capi. */
#ifndef FFCLOCK_FFCLOCK_H
#define FFCLOCK_FFCLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "ffclock/page.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ffclock_error {
  FFCLOCK_OK = 0,
  FFCLOCK_E_NOT_FOUND = -1,
  FFCLOCK_E_PERMISSION = -2,
  FFCLOCK_E_IO = -3,
  FFCLOCK_E_TOO_SMALL = -4,
  FFCLOCK_E_BAD_MAGIC = -5,
  FFCLOCK_E_BAD_VERSION = -6,
  FFCLOCK_E_BAD_SIZE = -7,
  FFCLOCK_E_NO_EXTENSION = -8,
  FFCLOCK_E_BAD_EXT_VERSION = -9,
  FFCLOCK_E_BUSY = -10,                /* writer held the seqlock through every retry */
  FFCLOCK_E_NOT_PUBLISHED = -11,       /* nothing published yet */
  FFCLOCK_E_UNSUPPORTED_COUNTER = -12, /* the page's counter is not readable here */
  FFCLOCK_E_INVALID_ARGUMENT = -13,
  FFCLOCK_E_NO_MEMORY = -14
};

#define FFCLOCK_DEFAULT_PAGE_PATH "/run/ffclock/page"

typedef struct ffclock_handle ffclock_handle;

/* An instant or a span: whole seconds (floor) and nanoseconds in [0, 1e9). */
typedef struct ffclock_timespec {
  int64_t sec;
  uint32_t nsec;
} ffclock_timespec;

typedef struct ffclock_now {
  ffclock_timespec utc;      /* POSIX UTC */
  ffclock_timespec tai;
  ffclock_timespec earliest; /* utc - maxerror */
  ffclock_timespec latest;   /* utc + maxerror */
  uint64_t maxerror_nanosec;
  uint8_t status;            /* FFCLOCK_STATUS_* (page.h), including DISRUPTED */
  uint8_t leap;              /* FFCLOCK_LEAP_* (page.h) */
  int32_t tai_minus_utc;
  uint64_t counter;          /* counter value of the reading */
  uint64_t step_generation;  /* +1 each time absolute time was stepped */
} ffclock_now;

typedef uint64_t (*ffclock_counter_fn)(void *ctx);

typedef struct ffclock_options {
  const char *host_vmclock_path; /* NULL: /dev/vmclock0; "": no host disruption check */
  ffclock_counter_fn counter;    /* NULL: the page's own counter */
  void *counter_ctx;
} ffclock_options;

/* Opens the page at path (NULL: FFCLOCK_DEFAULT_PAGE_PATH); opts may be NULL. */
int ffclock_open(const char *path, const ffclock_options *opts, ffclock_handle **out);
/* Reads a page the caller keeps in memory. */
int ffclock_open_memory(const void *page, size_t size, const ffclock_options *opts, ffclock_handle **out);
void ffclock_close(ffclock_handle *h);

int ffclock_now_read(const ffclock_handle *h, ffclock_now *out);
/* Difference clock: nanoseconds (rounded) between counter values c0 and c1. */
int ffclock_elapsed_ns(const ffclock_handle *h, uint64_t c0, uint64_t c1, int64_t *out_ns);
/* Monotonic clock: TAI-rate time since the page's origin; never decreases. */
int ffclock_monotonic(const ffclock_handle *h, ffclock_timespec *out);
/* Smeared UTC; kind is FFCLOCK_SMEAR_* (page.h). */
int ffclock_smeared(const ffclock_handle *h, int kind, ffclock_timespec *out);
int ffclock_read_counter(const ffclock_handle *h, uint64_t *out);
/* 1: the page changed; 0: timeout; negative: error. */
int ffclock_wait_for_update(const ffclock_handle *h, int64_t timeout_ns);

const char *ffclock_strerror(int code);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FFCLOCK_FFCLOCK_H */
