/* SPDX-License-Identifier: BSD-2-Clause
 *
 * The C API in one program: the time now with its bounds, an interval measured with the
 * difference clock, and waiting for the clock to be stepped.
 *
 *   ffclock-example-c [PAGE] [WAIT_SECONDS]
 *
 * PAGE defaults to /run/ffclock/page (what ffclockd publishes). With WAIT_SECONDS > 0 it then
 * waits up to that long for a step (the page's step generation changing).
 * Exit: 0 ok, 1 the clock is not usable (or no step came), 2 the page cannot be opened. */
#include <ffclock/ffclock.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void print_time(const char* label, struct timespec t) {
  const time_t sec = t.tv_sec;
  struct tm tm;
  char buf[32];
  gmtime_r(&sec, &tm);
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  printf("%-9s %s.%09ldZ\n", label, buf, (long)t.tv_nsec);
}

static const char* status_name(uint8_t s) {
  switch (s) {
    case FFCLOCK_STATUS_SYNCHRONIZED:
      return "synchronized";
    case FFCLOCK_STATUS_FREERUNNING:
      return "freerunning";
    case FFCLOCK_STATUS_INITIALIZING:
      return "initializing";
    case FFCLOCK_STATUS_UNRELIABLE:
      return "unreliable";
    case FFCLOCK_STATUS_DISRUPTED:
      return "disrupted";
    default:
      return "unknown";
  }
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : NULL;
  const double wait_s = argc > 2 ? atof(argv[2]) : 0.0;
  ffclock_handle* h = NULL;
  int r = ffclock_open(path, NULL, &h);
  if (r != FFCLOCK_OK) {
    fprintf(stderr, "%s: %s\n", path ? path : FFCLOCK_DEFAULT_PAGE_PATH, ffclock_strerror(r));
    return 2;
  }

  /* Now: UTC and TAI, and the interval that certainly contains true time. */
  ffclock_now now = FFCLOCK_NOW_INIT;
  r = ffclock_now_read(h, &now);
  if (r != FFCLOCK_OK) {
    fprintf(stderr, "cannot read the clock: %s\n", ffclock_strerror(r));
    ffclock_close(h);
    return 1;
  }
  print_time("utc", now.utc);
  print_time("tai", now.tai);
  print_time("earliest", now.earliest);
  print_time("latest", now.latest);
  printf("maxerror  %llu ns\nstatus    %s\n", (unsigned long long)now.maxerror_nanosec,
         status_name(now.status));
  /* The host announced a migration or suspend: a good moment to finish timed work first. */
  if (now.flags & FFCLOCK_FLAG_DISRUPTION_IMMINENT)
    printf("host      disruption imminent\n");
  else if (now.flags & FFCLOCK_FLAG_DISRUPTION_SOON)
    printf("host      disruption soon\n");

  /* Elapsed: two counter reads around some work, converted with the difference clock. */
  uint64_t c0 = 0, c1 = 0;
  int64_t ns = 0;
  if (ffclock_read_counter(h, &c0) == FFCLOCK_OK) {
    const struct timespec pause = {0, 10 * 1000 * 1000};
    nanosleep(&pause, NULL);
    if (ffclock_read_counter(h, &c1) == FFCLOCK_OK && ffclock_elapsed_ns(h, c0, c1, &ns) == FFCLOCK_OK)
      printf("elapsed   %lld ns (a 10 ms sleep)\n", (long long)ns);
  }

  /* Wait for a step: sleeps on the page's futex until the step generation moves. */
  int rc = (now.status == FFCLOCK_STATUS_SYNCHRONIZED || now.status == FFCLOCK_STATUS_FREERUNNING) ? 0 : 1;
  if (wait_s > 0) {
    uint64_t generation = 0;
    if (ffclock_wait_for_step(h, now.step_generation, (int64_t)(wait_s * 1e9), &generation) == 1) {
      printf("step      generation %llu -> %llu\n", (unsigned long long)now.step_generation,
             (unsigned long long)generation);
      rc = 0;
    } else {
      printf("no step in %.0f s\n", wait_s);
      rc = 1;
    }
  }
  ffclock_close(h);
  return rc;
}
