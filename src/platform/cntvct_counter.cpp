// SPDX-License-Identifier: BSD-2-Clause
// The arm64 virtual counter (see cntvct_counter.hpp).
#if defined(__aarch64__)

#include "platform/cntvct_counter.hpp"

namespace ffclock::platform {

uint64_t read_cntfrq() {
  uint64_t hz;
  asm volatile("mrs %0, cntfrq_el0" : "=r"(hz));
  return hz & 0xFFFFFFFFu;  // the upper 32 bits are RES0
}

CntvctCounter::CntvctCounter() {
  const uint64_t hz = read_cntfrq();
  facts_.info.name = "cntvct";
  facts_.info.kind = CounterKind::ArmVcnt;
  facts_.info.nominal_hz = hz;
  facts_.info.trustworthy = hz != 0;
  facts_.info.why = hz != 0 ? "arm64 generic timer: architecturally constant-rate"
                            : "CNTFRQ_EL0 is 0: firmware did not set the frequency";
  facts_.frequency_source = "cntfrq_el0";
  facts_.invariant = true;
}

}  // namespace ffclock::platform

#endif
