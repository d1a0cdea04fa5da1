/* SPDX-License-Identifier: BSD-2-Clause */
/* The C API from a program compiled as C11: proves ffclock.h and page.h are C, and that the
 * API reads a hand-built page correctly and reports clear errors. Exit status 0 = pass. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, mkfifo, unlink */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ffclock/ffclock.h"

static int failures = 0;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static uint64_t fake_counter = 1000000;
static uint64_t read_fake(void* ctx) {
  (void)ctx;
  return fake_counter;
}

/* A synchronized page by hand: period exactly 2^-30 s, TAI 1790000037 at counter 1e6. */
static void build_page(struct ffclock_page* p) {
  memset(p, 0, sizeof *p);
  p->vmclock.magic = FFCLOCK_VMCLOCK_MAGIC;
  p->vmclock.size = sizeof *p;
  p->vmclock.version = FFCLOCK_VMCLOCK_VERSION;
  p->vmclock.counter_id = FFCLOCK_COUNTER_X86_TSC;
  p->vmclock.time_type = FFCLOCK_TIME_TAI;
  p->vmclock.flags = FFCLOCK_FLAG_TIME_MAXERROR_VALID | FFCLOCK_FLAG_TIME_ESTERROR_VALID;
  p->vmclock.clock_status = FFCLOCK_STATUS_SYNCHRONIZED;
  p->vmclock.counter_period_shift = 29;
  p->vmclock.counter_value = 1000000;
  p->vmclock.counter_period_frac_sec = 1ull << 63;
  p->vmclock.time_sec = 1790000037;
  p->vmclock.time_frac_sec = 1ull << 63; /* .5 s */
  p->vmclock.time_maxerror_nanosec = 2000;
  p->vmclock.time_esterror_nanosec = 300;
  p->ext.magic = FFCLOCK_EXT_MAGIC;
  p->ext.version = FFCLOCK_EXT_VERSION;
  p->ext.size = sizeof p->ext;
  p->ext.flags = FFCLOCK_EXT_FLAG_MONOTONIC_VALID | FFCLOCK_EXT_FLAG_TAI_OFFSET_VALID;
  p->ext.counter_id = FFCLOCK_COUNTER_X86_TSC;
  p->ext.tai_minus_utc = 37;
  p->ext.period_frac_sec = 1ull << 63;
  p->ext.period_shift = 29;
  p->ext.tai_minus_utc_after = 37;
  p->ext.mono_counter = 1000000;
  p->ext.mono_sec = 5;
  p->ext.mono_period_frac_sec = 1ull << 63;
  p->ext.mono_period_shift = 29;
  p->ext.stale_after_counter = ~0ull >> 2;
  p->ext.void_after_counter = ~0ull >> 2;
}

int main(void) {
  static struct ffclock_page page;
  ffclock_options opts = FFCLOCK_OPTIONS_INIT;
  ffclock_handle* h = NULL;
  ffclock_now now = FFCLOCK_NOW_INIT;
  struct timespec ts;
  int64_t ns = 0;
  int rc;

  rc = ffclock_open("/nonexistent/ffclock/page", NULL, &h);
  CHECK(rc == FFCLOCK_E_NOT_FOUND);
  CHECK(h == NULL);
  CHECK(strcmp(ffclock_strerror(rc), "clock page not found") == 0);

  build_page(&page);
  opts.host_vmclock_path = "";
  opts.counter = read_fake;
  rc = ffclock_open_memory(&page, sizeof page, &opts, &h);
  CHECK(rc == FFCLOCK_OK);
  if (h == NULL) return 1;

  fake_counter += 10ull << 30; /* +10 s */
  rc = ffclock_now_read(h, &now);
  CHECK(rc == FFCLOCK_OK);
  CHECK(now.tai.tv_sec == 1790000047 && now.tai.tv_nsec == 500000000L);
  CHECK(now.utc.tv_sec == 1790000010 && now.utc.tv_nsec == 500000000L);
  CHECK(now.tai_minus_utc == 37);
  CHECK(now.status == FFCLOCK_STATUS_SYNCHRONIZED);
  CHECK(now.maxerror_nanosec == 2000);
  CHECK(now.esterror_nanosec == 300);
  CHECK(now.earliest.tv_sec == 1790000010 && now.earliest.tv_nsec == 499998000L);
  CHECK(now.latest.tv_sec == 1790000010 && now.latest.tv_nsec == 500002000L);
  CHECK(now.flags == 0);
  {
    /* The cheap read gives the same UTC, bound and status; its optional outputs may be NULL. */
    struct timespec utc = {0, 0};
    uint64_t maxerror = 0;
    int status = -1;
    CHECK(ffclock_gettime(h, &utc, &maxerror, &status) == FFCLOCK_OK);
    CHECK(utc.tv_sec == now.utc.tv_sec && utc.tv_nsec == now.utc.tv_nsec);
    CHECK(maxerror == now.maxerror_nanosec && status == FFCLOCK_STATUS_SYNCHRONIZED);
    CHECK(ffclock_gettime(h, &utc, NULL, NULL) == FFCLOCK_OK && utc.tv_sec == 1790000010);
    CHECK(ffclock_gettime(h, NULL, NULL, NULL) == FFCLOCK_E_INVALID_ARGUMENT);
  }
  now.size = 8; /* a struct too small for the first version's fields */
  CHECK(ffclock_now_read(h, &now) == FFCLOCK_E_INVALID_ARGUMENT);
  now.size = sizeof now;

  /* The host's announced disruption reaches C callers; one built before `flags` existed
     passes a size that ends at step_generation and finds the bytes after it untouched. */
  page.vmclock.flags |= FFCLOCK_FLAG_DISRUPTION_SOON;
  CHECK(ffclock_now_read(h, &now) == FFCLOCK_OK);
  CHECK(now.flags == FFCLOCK_FLAG_DISRUPTION_SOON);
  page.vmclock.flags |= FFCLOCK_FLAG_DISRUPTION_IMMINENT;
  now.flags = 12345;
  now.size = (uint32_t)(offsetof(ffclock_now, step_generation) + sizeof now.step_generation);
  CHECK(ffclock_now_read(h, &now) == FFCLOCK_OK);
  CHECK(now.flags == 12345);
  now.size = sizeof now;
  CHECK(ffclock_now_read(h, &now) == FFCLOCK_OK);
  CHECK(now.flags == (FFCLOCK_FLAG_DISRUPTION_SOON | FFCLOCK_FLAG_DISRUPTION_IMMINENT));
  page.vmclock.flags &= ~(FFCLOCK_FLAG_DISRUPTION_SOON | FFCLOCK_FLAG_DISRUPTION_IMMINENT);

  rc = ffclock_elapsed_ns(h, 0, 3ull << 30, &ns);
  CHECK(rc == FFCLOCK_OK && ns == 3000000000LL);
  rc = ffclock_monotonic(h, &ts);
  CHECK(rc == FFCLOCK_OK && ts.tv_sec == 15 && ts.tv_nsec == 0);
  rc = ffclock_smeared(h, FFCLOCK_SMEAR_NOON_LINEAR, &ts);
  CHECK(rc == FFCLOCK_OK && ts.tv_sec == now.utc.tv_sec); /* no leap scheduled */
  CHECK(ffclock_smeared(h, 42, &ts) == FFCLOCK_E_INVALID_ARGUMENT);
  CHECK(ffclock_wait_for_update(h, 1000000) == 0); /* nothing publishes: 1 ms timeout */
  {
    uint64_t gen = 99;
    CHECK(ffclock_wait_for_step(h, now.step_generation, 1000000, &gen) == 0); /* no step: timeout */
    CHECK(gen == 99);
    CHECK(ffclock_wait_for_step(h, now.step_generation + 1, 0, &gen) == 1); /* already differs */
    CHECK(gen == now.step_generation);
    CHECK(ffclock_wait_for_step(h, 0, 0, NULL) == FFCLOCK_E_INVALID_ARGUMENT);
  }
  ffclock_close(h);

  page.vmclock.magic = 0;
  CHECK(ffclock_open_memory(&page, sizeof page, &opts, &h) == FFCLOCK_E_BAD_MAGIC);
  CHECK(ffclock_now_read(NULL, &now) == FFCLOCK_E_INVALID_ARGUMENT);
  CHECK(strcmp(ffclock_strerror(FFCLOCK_E_NO_WRITER), "no writer: the clock page was left mid-update") == 0);
  CHECK(strcmp(ffclock_strerror(FFCLOCK_E_NOT_REGULAR_FILE), "the clock page path is not a regular file") ==
        0);
  /* A FIFO as the page: refused at once, never a hang. */
  {
    char fifo[] = "/tmp/ffclock-capi-fifo-XXXXXX";
    int fd = mkstemp(fifo);
    if (fd >= 0) {
      close(fd);
      unlink(fifo);
      if (mkfifo(fifo, 0600) == 0) {
        CHECK(ffclock_open(fifo, &opts, &h) == FFCLOCK_E_NOT_REGULAR_FILE);
        unlink(fifo);
      }
    }
  }

  if (failures == 0) printf("capi C test: ok\n");
  return failures == 0 ? 0 : 1;
}
