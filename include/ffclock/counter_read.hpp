// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Inline raw counter reads for the reader's fast path (no system call, no virtual call).
//
// read_counter_ordered() is ordered both ways, as the seqlock reader needs (the counter must
// be read after the first sequence load and before the field loads and the re-check; docs
// §3.5): x86 LFENCE;RDTSC;LFENCE (the leading fence waits for earlier loads, the trailing
// one keeps later loads from running before RDTSC); arm64 ISB;MRS CNTVCT_EL0, then a dummy
// load whose address depends on the counter value, so that the read completes before later
// loads, as Linux's arch timer accessor does. read_counter_fast() drops the fences.
// On other architectures both read CLOCK_MONOTONIC_RAW in nanoseconds.
//
// The reader's seqlock (docs/page.md, "Reader algorithm") needs less than that:
// read_counter_after_loads(), which waits for every earlier load (LFENCE;RDTSC, ISB;MRS), so
// the counter is read after the first sequence load, and load_after_counter(word, c), the
// re-check, whose address depends on c so that it cannot be performed before the counter
// value exists (the arm64 accessor's trick, on x86 too). That orders the counter read between
// the two sequence loads without a second fence; the field loads need none (acquire loads).

#include <atomic>
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
  const uint64_t v = __rdtsc();
  _mm_lfence();
  return v;
}
inline uint64_t read_counter_after_loads() {
  _mm_lfence();
  return __rdtsc();
}
// Zero, computed from v by shifts (never a dependency-breaking zero idiom such as xor).
inline uintptr_t zero_depending_on(uint64_t v) {
  auto z = static_cast<uintptr_t>(v);
  asm("shr $32, %0\n\tshr $32, %0" : "+r"(z));
  return z;
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
  // v ^ v is 0 but depends on v: the load from sp + 0 cannot issue before the counter read.
  uint64_t zero;
  asm volatile("eor %0, %1, %1\n\tadd %0, sp, %0\n\tldr xzr, [%0]" : "=&r"(zero) : "r"(v) : "memory");
  return v;
}
inline uint64_t read_counter_after_loads() {
  uint64_t v;
  asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
  return v;
}
inline uintptr_t zero_depending_on(uint64_t v) {
  uintptr_t z;
  asm("eor %0, %1, %1" : "=r"(z) : "r"(v));  // arm64 honours address dependencies
  return z;
}
#else
inline uint64_t read_counter_fast() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}
inline uint64_t read_counter_ordered() { return read_counter_fast(); }
inline uint64_t read_counter_after_loads() { return read_counter_fast(); }
inline uintptr_t zero_depending_on(uint64_t v) {
  uintptr_t z = static_cast<uintptr_t>(v);
  asm volatile("" : "+r"(z)::"memory");
  return z ^ static_cast<uintptr_t>(v);
}
#endif

// Loads `word` (relaxed) at an address that depends on c: not before c is known.
template <class T>
inline T load_after_counter(const T& word, uint64_t c) {
  const auto* p = reinterpret_cast<const T*>(reinterpret_cast<uintptr_t>(&word) + zero_depending_on(c));
  return std::atomic_ref<T>(const_cast<T&>(*p)).load(std::memory_order_relaxed);
}

}  // namespace ffclock
