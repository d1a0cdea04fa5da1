/* The C API from a program compiled as C11: proves ffclock.h and page.h are C, and that the
 * API reads a hand-built page correctly and reports clear errors. Exit status 0 = pass. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ffclock/ffclock.h"

static int failures = 0;
#define CHECK(cond)                                                     \
  do {                                                                  \
    if (!(cond)) {                                                      \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                       \
    }                                                                   \
  } while (0)

static uint64_t fake_counter = 1000000;
static uint64_t read_fake(void *ctx) {
  (void)ctx;
  return fake_counter;
}

/* A synchronized page by hand: period exactly 2^-30 s, TAI 1790000037 at counter 1e6. */
static void build_page(struct ffclock_page *p) {
  memset(p, 0, sizeof *p);
  p->vmclock.magic = FFCLOCK_VMCLOCK_MAGIC;
  p->vmclock.size = sizeof *p;
  p->vmclock.version = FFCLOCK_VMCLOCK_VERSION;
  p->vmclock.counter_id = FFCLOCK_COUNTER_X86_TSC;
  p->vmclock.time_type = FFCLOCK_TIME_TAI;
  p->vmclock.flags = FFCLOCK_FLAG_TAI_OFFSET_VALID | FFCLOCK_FLAG_TIME_MAXERROR_VALID;
  p->vmclock.clock_status = FFCLOCK_STATUS_SYNCHRONIZED;
  p->vmclock.tai_offset_sec = 37;
  p->vmclock.counter_period_shift = 29;
  p->vmclock.counter_value = 1000000;
  p->vmclock.counter_period_frac_sec = 1ull << 63;
  p->vmclock.time_sec = 1790000037;
  p->vmclock.time_frac_sec = 1ull << 63; /* .5 s */
  p->vmclock.time_maxerror_nanosec = 2000;
  p->ext.magic = FFCLOCK_EXT_MAGIC;
  p->ext.version = FFCLOCK_EXT_VERSION;
  p->ext.size = sizeof p->ext;
  p->ext.flags = FFCLOCK_EXT_FLAG_MONOTONIC_VALID;
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
  ffclock_options opts;
  ffclock_handle *h = NULL;
  ffclock_now now;
  ffclock_timespec ts;
  int64_t ns = 0;
  int rc;

  rc = ffclock_open("/nonexistent/ffclock/page", NULL, &h);
  CHECK(rc == FFCLOCK_E_NOT_FOUND);
  CHECK(h == NULL);
  CHECK(strcmp(ffclock_strerror(rc), "clock page not found") == 0);

  build_page(&page);
  memset(&opts, 0, sizeof opts);
  opts.host_vmclock_path = "";
  opts.counter = read_fake;
  rc = ffclock_open_memory(&page, sizeof page, &opts, &h);
  CHECK(rc == FFCLOCK_OK);
  if (h == NULL) return 1;

  fake_counter += 10ull << 30; /* +10 s */
  rc = ffclock_now_read(h, &now);
  CHECK(rc == FFCLOCK_OK);
  CHECK(now.tai.sec == 1790000047 && now.tai.nsec == 500000000u);
  CHECK(now.utc.sec == 1790000010 && now.utc.nsec == 500000000u);
  CHECK(now.tai_minus_utc == 37);
  CHECK(now.status == FFCLOCK_STATUS_SYNCHRONIZED);
  CHECK(now.maxerror_nanosec == 2000);
  CHECK(now.earliest.sec == 1790000010 && now.earliest.nsec == 499998000u);
  CHECK(now.latest.sec == 1790000010 && now.latest.nsec == 500002000u);

  rc = ffclock_elapsed_ns(h, 0, 3ull << 30, &ns);
  CHECK(rc == FFCLOCK_OK && ns == 3000000000LL);
  rc = ffclock_monotonic(h, &ts);
  CHECK(rc == FFCLOCK_OK && ts.sec == 15 && ts.nsec == 0);
  rc = ffclock_smeared(h, FFCLOCK_SMEAR_NOON_LINEAR, &ts);
  CHECK(rc == FFCLOCK_OK && ts.sec == now.utc.sec); /* no leap scheduled */
  CHECK(ffclock_smeared(h, 42, &ts) == FFCLOCK_E_INVALID_ARGUMENT);
  CHECK(ffclock_wait_for_update(h, 1000000) == 0); /* nothing publishes: 1 ms timeout */
  ffclock_close(h);

  page.vmclock.magic = 0;
  CHECK(ffclock_open_memory(&page, sizeof page, &opts, &h) == FFCLOCK_E_BAD_MAGIC);
  CHECK(ffclock_now_read(NULL, &now) == FFCLOCK_E_INVALID_ARGUMENT);

  if (failures == 0) printf("capi C test: ok\n");
  return failures == 0 ? 0 : 1;
}
