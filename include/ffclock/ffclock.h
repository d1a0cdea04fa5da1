/* SPDX-License-Identifier: BSD-2-Clause */
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
#include <time.h>

#include "ffclock/page.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every function returns FFCLOCK_OK (0) or one of these negative codes; ffclock_strerror()
 * names each. What a caller can do about each: */
enum ffclock_error {
  FFCLOCK_OK = 0,
  FFCLOCK_E_NOT_FOUND = -1,            /* open: no page at the path (daemon not running?) */
  FFCLOCK_E_PERMISSION = -2,           /* open: the page is not readable by this user */
  FFCLOCK_E_IO = -3,                   /* open: another open/fstat/mmap failure */
  FFCLOCK_E_TOO_SMALL = -4,            /* open: shorter than a vmclock page */
  FFCLOCK_E_BAD_MAGIC = -5,            /* open: not a vmclock page */
  FFCLOCK_E_BAD_VERSION = -6,          /* open: a vmclock version other than 1 */
  FFCLOCK_E_BAD_SIZE = -7,             /* open: the page's size field disagrees with the file */
  FFCLOCK_E_NO_EXTENSION = -8,         /* open: a plain vmclock page (no ffclock extension) */
  FFCLOCK_E_BAD_EXT_VERSION = -9,      /* open: an ffclock extension this library does not know */
  FFCLOCK_E_BUSY = -10,                /* read: a writer held the page through the spin timeout;
                                          retry later or fall back to clock_gettime() */
  FFCLOCK_E_NOT_PUBLISHED = -11,       /* read: the daemon has published nothing yet; retry later */
  FFCLOCK_E_UNSUPPORTED_COUNTER = -12, /* read: the page's counter is not readable here; fall back */
  FFCLOCK_E_INVALID_ARGUMENT = -13,    /* a NULL pointer, a bad kind, or a struct size too small */
  FFCLOCK_E_NO_MEMORY = -14,           /* open: allocation failed */
  FFCLOCK_E_NOT_REGULAR_FILE = -15,    /* open: the path is a FIFO, device or directory */
  FFCLOCK_E_NO_WRITER = -16,           /* read: the page was left mid-update and no writer holds
                                          it (the daemon died); restart the daemon, fall back */
  FFCLOCK_E_OUT_OF_RANGE = -17         /* read: the page's UTC is outside the years 137-9863
                                          (a corrupt page); fall back */
};

#define FFCLOCK_DEFAULT_PAGE_PATH "/run/ffclock/page"

typedef struct ffclock_handle ffclock_handle;

/* Instants (seconds since 1970-01-01 of their timescale) and spans are struct timespec:
 * tv_sec rounded toward negative infinity, tv_nsec in [0, 1e9), rounded to the nearest ns. */

/* Structs the caller passes carry their own size first, so that they can grow: set `size`
 * to sizeof the struct (FFCLOCK_NOW_INIT / FFCLOCK_OPTIONS_INIT do). The library fills or
 * reads only the fields that fit in `size`. */
typedef struct ffclock_now {
  uint32_t size;  /* in: sizeof(ffclock_now) */
  uint8_t status; /* FFCLOCK_STATUS_* (page.h), including DISRUPTED */
  uint8_t leap;   /* FFCLOCK_LEAP_* (page.h) */
  int32_t tai_minus_utc;
  struct timespec utc; /* POSIX UTC */
  struct timespec tai;
  struct timespec earliest;  /* utc - maxerror (not before 0000-01-01) */
  struct timespec latest;    /* utc + maxerror (not after 9999-12-31) */
  uint64_t maxerror_nanosec; /* bound on the error; 2^32 s when the page gives none */
  uint64_t esterror_nanosec; /* estimated error (one sigma); 2^32 s when the page gives none */
  uint64_t counter;          /* counter value of the reading */
  uint64_t step_generation;  /* +1 each time absolute time was stepped */
  /* The host's announced disruption, passed on by the daemon: FFCLOCK_FLAG_DISRUPTION_SOON
     (a migration or suspend is coming), FFCLOCK_FLAG_DISRUPTION_IMMINENT (page.h); other bits
     0. Filled only when `size` covers it (a caller built before it existed passes less). */
  uint64_t flags;
} ffclock_now;
#define FFCLOCK_NOW_INIT \
  { sizeof(ffclock_now), 0, 0, 0, {0, 0}, {0, 0}, {0, 0}, {0, 0}, 0, 0, 0, 0, 0 }

typedef uint64_t (*ffclock_counter_fn)(void* ctx);

typedef struct ffclock_options {
  uint32_t size;                 /* sizeof(ffclock_options) */
  const char* host_vmclock_path; /* NULL: /dev/vmclock0; "": no host disruption check */
  ffclock_counter_fn counter;    /* NULL: the page's own counter */
  void* counter_ctx;
  int64_t spin_timeout_ns; /* how long a read waits for a writer: 0 the default (5 ms),
                              negative: one round of attempts */
} ffclock_options;
#define FFCLOCK_OPTIONS_INIT \
  { sizeof(ffclock_options), NULL, NULL, NULL, 0 }

/* Opens the page at path (NULL: FFCLOCK_DEFAULT_PAGE_PATH); opts may be NULL. */
int ffclock_open(const char* path, const ffclock_options* opts, ffclock_handle** out);
/* Reads a page the caller keeps in memory. */
int ffclock_open_memory(const void* page, size_t size, const ffclock_options* opts, ffclock_handle** out);
void ffclock_close(ffclock_handle* h);

/* The whole reading: UTC and TAI, bounds, status, leap state, step generation. out->size
   must be set. */
int ffclock_now_read(const ffclock_handle* h, ffclock_now* out);
/* clock_gettime's equivalent, and the cheap read: POSIX UTC, with the error bound and the
   status if the pointers are not NULL (the same values ffclock_now_read gives). */
int ffclock_gettime(const ffclock_handle* h, struct timespec* utc, uint64_t* maxerror_nanosec, int* status);
/* Difference clock: nanoseconds (rounded, saturating) between counter values c0 and c1. */
int ffclock_elapsed_ns(const ffclock_handle* h, uint64_t c0, uint64_t c1, int64_t* out_ns);
/* Monotonic clock: TAI-rate time since the page's origin; never decreases. */
int ffclock_monotonic(const ffclock_handle* h, struct timespec* out);
/* Smeared UTC; kind is FFCLOCK_SMEAR_* (page.h). */
int ffclock_smeared(const ffclock_handle* h, int kind, struct timespec* out);
int ffclock_read_counter(const ffclock_handle* h, uint64_t* out);
/* 1: the page changed; 0: timeout; negative: error. */
int ffclock_wait_for_update(const ffclock_handle* h, int64_t timeout_ns);
/* Waits until absolute time is stepped (a disruption, a re-anchor, a leap): until the page's
   step generation differs from known_generation (a reading's step_generation). 1: it did, and
   *out_generation holds the new one; 0: timeout; negative: error. Sleeps between publications. */
int ffclock_wait_for_step(const ffclock_handle* h, uint64_t known_generation, int64_t timeout_ns,
                          uint64_t* out_generation);

/* A static string naming a code (never NULL). */
const char* ffclock_strerror(int code);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FFCLOCK_FFCLOCK_H */
