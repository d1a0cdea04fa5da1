#pragma once
// Inline raw counter reads for the reader's fast path (no system call, no virtual call).
//
// read_counter_ordered() cannot be executed before earlier loads (x86: LFENCE;RDTSC, as the
// vDSO's rdtsc_ordered; arm64: ISB before MRS CNTVCT_EL0), which the seqlock reader needs:
// the counter must be read after the sequence load. read_counter_fast() drops the fence.
// On other architectures both read CLOCK_MONOTONIC_RAW in nanoseconds.

#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#else
#include <time.h>
#endif

namespace ffclock {

#if defined(__x86_64__) || defined(__i386__)
inline uint64_t read_counter_fast() { return __rdtsc(); }
inline uint64_t read_counter_ordered() {
  _mm_lfence();
  return __rdtsc();
}
#elif defined(__aarch64__)
inline uint64_t read_counter_fast() {
  uint64_t v;
  asm volatile("mrs %0, cntvct_el0" : "=r"(v));
  return v;
}
inline uint64_t read_counter_ordered() {
  uint64_t v;
  asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
  return v;
}
#else
inline uint64_t read_counter_fast() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}
inline uint64_t read_counter_ordered() { return read_counter_fast(); }
#endif

}  // namespace ffclock
