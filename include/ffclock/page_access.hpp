// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Field-wise atomic access to a shared ffclock_page (C++). The page stays a plain C struct
// (its layout is the ABI); every access to shared memory goes through std::atomic_ref, so
// the seqlock is race-free in the C++ memory model and under ThreadSanitizer: the writer
// stores every field with release, the reader loads every field with acquire (docs §3.4).

#include <atomic>
#include <cstdint>

#include "ffclock/page.h"

namespace ffclock::page_access {

// An acquire load from a possibly read-only mapping (atomic_ref<const T> is ill-formed in
// C++20; the load never writes).
template <class T>
inline T load(const T& field, std::memory_order order = std::memory_order_acquire) {
  static_assert(std::atomic_ref<T>::is_always_lock_free, "page fields must be lock-free (address-free)");
  return std::atomic_ref<T>(const_cast<T&>(field)).load(order);
}

template <class T>
inline void store(T& field, T value, std::memory_order order = std::memory_order_release) {
  std::atomic_ref<T>(field).store(value, order);
}

// Calls f(a.field, b.field) for the page's CONSTANT fields: written once when the page is
// created, never by a publication (a change of counter or timescale makes a new page).
template <class A, class B, class F>
inline void for_each_header_field(A& a, B& b, F&& f) {
  f(a.vmclock.magic, b.vmclock.magic);
  f(a.vmclock.size, b.vmclock.size);
  f(a.vmclock.version, b.vmclock.version);
  f(a.vmclock.counter_id, b.vmclock.counter_id);
  f(a.vmclock.time_type, b.vmclock.time_type);
  f(a.ext.magic, b.ext.magic);
  f(a.ext.version, b.ext.version);
  f(a.ext.size, b.ext.size);
  f(a.ext.counter_id, b.ext.counter_id);
}

// Calls f(a.field, b.field) for every field a publication writes (all but the header,
// seq_count and padding), in layout order.
template <class A, class B, class F>
inline void for_each_published_field(A& a, B& b, F&& f) {
  auto& av = a.vmclock;
  auto& bv = b.vmclock;
  f(av.disruption_marker, bv.disruption_marker);
  f(av.flags, bv.flags);
  f(av.clock_status, bv.clock_status);
  f(av.leap_second_smearing_hint, bv.leap_second_smearing_hint);
  f(av.tai_offset_sec, bv.tai_offset_sec);
  f(av.leap_indicator, bv.leap_indicator);
  f(av.counter_period_shift, bv.counter_period_shift);
  f(av.counter_value, bv.counter_value);
  f(av.counter_period_frac_sec, bv.counter_period_frac_sec);
  f(av.counter_period_esterror_rate_frac_sec, bv.counter_period_esterror_rate_frac_sec);
  f(av.counter_period_maxerror_rate_frac_sec, bv.counter_period_maxerror_rate_frac_sec);
  f(av.time_sec, bv.time_sec);
  f(av.time_frac_sec, bv.time_frac_sec);
  f(av.time_esterror_nanosec, bv.time_esterror_nanosec);
  f(av.time_maxerror_nanosec, bv.time_maxerror_nanosec);
  f(av.vm_generation_counter, bv.vm_generation_counter);
  auto& ax = a.ext;
  auto& bx = b.ext;
  f(ax.flags, bx.flags);
  f(ax.period_frac_sec, bx.period_frac_sec);
  f(ax.period_shift, bx.period_shift);
  f(ax.smear_kind, bx.smear_kind);
  f(ax.leap_delta, bx.leap_delta);
  f(ax.source_stratum, bx.source_stratum);
  f(ax.tai_minus_utc_after, bx.tai_minus_utc_after);
  f(ax.mono_period_shift, bx.mono_period_shift);
  f(ax.mono_counter, bx.mono_counter);
  f(ax.mono_sec, bx.mono_sec);
  f(ax.mono_frac, bx.mono_frac);
  f(ax.mono_period_frac_sec, bx.mono_period_frac_sec);
  f(ax.mono_origin_tai_sec, bx.mono_origin_tai_sec);
  f(ax.mono_origin_tai_frac, bx.mono_origin_tai_frac);
  f(ax.step_generation, bx.step_generation);
  f(ax.stale_after_counter, bx.stale_after_counter);
  f(ax.void_after_counter, bx.void_after_counter);
  f(ax.leap_utc_sec, bx.leap_utc_sec);
  f(ax.smear_start_rel_sec, bx.smear_start_rel_sec);
  f(ax.smear_end_rel_sec, bx.smear_end_rel_sec);
  f(ax.source_refid, bx.source_refid);
  f(ax.tai_minus_utc, bx.tai_minus_utc);
  f(ax.root_delay_nanosec, bx.root_delay_nanosec);
  f(ax.root_dispersion_nanosec, bx.root_dispersion_nanosec);
  f(ax.host_disruption_marker, bx.host_disruption_marker);
  f(ax.heartbeat_count, bx.heartbeat_count);
  f(ax.heartbeat_counter, bx.heartbeat_counter);
}

// Every field of the page except seq_count and padding (a full snapshot).
template <class A, class B, class F>
inline void for_each_field(A& a, B& b, F&& f) {
  for_each_header_field(a, b, f);
  for_each_published_field(a, b, f);
}

}  // namespace ffclock::page_access
