// SPDX-License-Identifier: BSD-2-Clause
#include "platform/kernel_clock.hpp"

#include <sys/timex.h>
#include <time.h>

namespace ffclock::platform {

UtcTime LinuxKernelClock::realtime() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return UtcTime::from_unix_nanos(int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec);
}

KernelTimeStatus LinuxKernelClock::status() {
  struct timex tx {};
  tx.modes = 0;  // read only: never changes the kernel clock
  const int state = adjtimex(&tx);
  KernelTimeStatus s;
  s.maxerror = Duration::microseconds(tx.maxerror);
  s.synchronized = state >= 0 && state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
  return s;
}

}  // namespace ffclock::platform
