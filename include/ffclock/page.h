/* SPDX-License-Identifier: BSD-2-Clause */
/* The ffclock shared clock page: a Linux vmclock page plus an ffclock extension.
 *
 * C-compatible ABI shared by the daemon's writer, the header-only C++ reader, the C API and
 * any program written for Linux's `struct vmclock_abi` (include/uapi/linux/vmclock-abi.h):
 * the first 112 bytes are exactly that structure, so a vmclock reader works unchanged.
 * Everything is little-endian, fixed-width and naturally aligned; every offset is checked
 * below. docs/page.md documents the page byte by byte and the reader algorithm.
 *
 * Concurrency: seq_count is a seqlock (odd while the writer updates). Access shared fields
 * only with atomic loads (C++ std::atomic_ref, C __atomic_load_n); see docs/page.md. */
#ifndef FFCLOCK_PAGE_H
#define FFCLOCK_PAGE_H

#include <stddef.h>
#include <stdint.h>

/* The page is little-endian (vmclock's rule); the fields are read natively, so a big-endian
 * build would misread every multi-byte field. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "ffclock's clock page is little-endian; this reader reads it natively"
#endif
#endif

#ifdef __cplusplus
#define FFCLOCK_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
extern "C" {
#else
#define FFCLOCK_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* ---- vmclock part (Linux ABI, version 1) ---- */
#define FFCLOCK_VMCLOCK_MAGIC 0x4b4c4356u /* "VCLK" */
#define FFCLOCK_VMCLOCK_VERSION 1u

/* counter_id */
#define FFCLOCK_COUNTER_ARM_VCNT 0u
#define FFCLOCK_COUNTER_X86_TSC 1u
#define FFCLOCK_COUNTER_MONOTONIC_RAW 0xFEu /* ffclock only (ext.counter_id): CLOCK_MONOTONIC_RAW in ns */
#define FFCLOCK_COUNTER_INVALID 0xFFu

/* time_type */
#define FFCLOCK_TIME_UTC 0u
#define FFCLOCK_TIME_TAI 1u
#define FFCLOCK_TIME_MONOTONIC 2u

/* flags */
#define FFCLOCK_FLAG_TAI_OFFSET_VALID (1ull << 0)
#define FFCLOCK_FLAG_DISRUPTION_SOON (1ull << 1)
#define FFCLOCK_FLAG_DISRUPTION_IMMINENT (1ull << 2)
#define FFCLOCK_FLAG_PERIOD_ESTERROR_VALID (1ull << 3)
#define FFCLOCK_FLAG_PERIOD_MAXERROR_VALID (1ull << 4)
#define FFCLOCK_FLAG_TIME_ESTERROR_VALID (1ull << 5)
#define FFCLOCK_FLAG_TIME_MAXERROR_VALID (1ull << 6)
#define FFCLOCK_FLAG_TIME_MONOTONIC (1ull << 7)
#define FFCLOCK_FLAG_VM_GEN_COUNTER_PRESENT (1ull << 8)
#define FFCLOCK_FLAG_NOTIFICATION_PRESENT (1ull << 9)

/* clock_status (vmclock values 0-4; DISRUPTED is reader-side only, never in a page) */
#define FFCLOCK_STATUS_UNKNOWN 0u
#define FFCLOCK_STATUS_INITIALIZING 1u
#define FFCLOCK_STATUS_SYNCHRONIZED 2u
#define FFCLOCK_STATUS_FREERUNNING 3u
#define FFCLOCK_STATUS_UNRELIABLE 4u
#define FFCLOCK_STATUS_DISRUPTED 5u

/* leap_second_smearing_hint */
#define FFCLOCK_SMEAR_HINT_STRICT 0u
#define FFCLOCK_SMEAR_HINT_NOON_LINEAR 1u
#define FFCLOCK_SMEAR_HINT_UTC_SLS 2u

/* leap_indicator */
#define FFCLOCK_LEAP_NONE 0u
#define FFCLOCK_LEAP_PRE_POS 1u
#define FFCLOCK_LEAP_PRE_NEG 2u
#define FFCLOCK_LEAP_POS 3u
#define FFCLOCK_LEAP_POST_POS 4u
#define FFCLOCK_LEAP_POST_NEG 5u

struct ffclock_vmclock_abi {
  uint32_t magic;                                 /*   0 */
  uint32_t size;                                  /*   4: bytes in the whole region */
  uint16_t version;                               /*   8 */
  uint8_t counter_id;                             /*  10 */
  uint8_t time_type;                              /*  11 */
  uint32_t seq_count;                             /*  12: seqlock, odd while updating */
  uint64_t disruption_marker;                     /*  16 */
  uint64_t flags;                                 /*  24 */
  uint8_t pad[2];                                 /*  32 */
  uint8_t clock_status;                           /*  34 */
  uint8_t leap_second_smearing_hint;              /*  35 */
  int16_t tai_offset_sec;                         /*  36: ffclock writes 0, TAI_OFFSET_VALID clear */
  uint8_t leap_indicator;                         /*  38 */
  uint8_t counter_period_shift;                   /*  39 */
  uint64_t counter_value;                         /*  40 */
  uint64_t counter_period_frac_sec;               /*  48: s/tick * 2^(64+shift) */
  uint64_t counter_period_esterror_rate_frac_sec; /*  56: same unit */
  uint64_t counter_period_maxerror_rate_frac_sec; /*  64: same unit */
  uint64_t time_sec;                              /*  72 */
  uint64_t time_frac_sec;                         /*  80: 2^-64 s */
  uint64_t time_esterror_nanosec;                 /*  88 */
  uint64_t time_maxerror_nanosec;                 /*  96 */
  uint64_t vm_generation_counter;                 /* 104 */
};

/* ---- ffclock extension (follows at offset 112) ---- */
#define FFCLOCK_EXT_MAGIC 0x58434646u /* "FFCX" */
#define FFCLOCK_EXT_VERSION 1u

/* ext.flags */
#define FFCLOCK_EXT_FLAG_LEAP_VALID (1ull << 0)        /* leap_* and smear_* describe a leap */
#define FFCLOCK_EXT_FLAG_HOST_MARKER_VALID (1ull << 1) /* calibrated under a host vmclock */
#define FFCLOCK_EXT_FLAG_MONOTONIC_VALID (1ull << 2)   /* mono_* segment published */
#define FFCLOCK_EXT_FLAG_LEAP_EXPIRED (1ull << 3)      /* the leap table is past its expiry */
#define FFCLOCK_EXT_FLAG_TAI_OFFSET_VALID (1ull << 4)  /* ext.tai_minus_utc holds TAI - UTC */

/* ext.smear_kind: which smear the writer recommends for the next leap. */
#define FFCLOCK_SMEAR_NONE 0u
#define FFCLOCK_SMEAR_NOON_LINEAR 1u
#define FFCLOCK_SMEAR_UTC_SLS 2u
#define FFCLOCK_SMEAR_COSINE 3u

struct ffclock_page_ext {
  uint32_t magic;                   /* 112 */
  uint16_t version;                 /* 116 */
  uint16_t size;                    /* 118: sizeof(struct ffclock_page_ext) */
  uint64_t flags;                   /* 120 */
  uint64_t period_frac_sec;         /* 128: long-term period (difference clock) */
  uint8_t period_shift;             /* 136 */
  uint8_t smear_kind;               /* 137 */
  int8_t leap_delta;                /* 138: +1 insert, -1 delete */
  uint8_t source_stratum;           /* 139 */
  int16_t tai_minus_utc_after;      /* 140: TAI - UTC from the leap on */
  uint8_t mono_period_shift;        /* 142 */
  uint8_t counter_id;               /* 143: FFCLOCK_COUNTER_* of the counter (incl. MONOTONIC_RAW) */
  uint64_t mono_counter;            /* 144: monotonic segment anchor counter */
  uint64_t mono_sec;                /* 152: monotonic seconds at mono_counter */
  uint64_t mono_frac;               /* 160: 2^-64 s */
  uint64_t mono_period_frac_sec;    /* 168: monotonic rate, s/tick * 2^(64+shift) */
  uint64_t mono_origin_tai_sec;     /* 176: TAI ~ origin + monotonic */
  uint64_t mono_origin_tai_frac;    /* 184 */
  uint64_t step_generation;         /* 192: +1 on every step of absolute time */
  uint64_t stale_after_counter;     /* 200: beyond: FREERUNNING, do not trust status */
  uint64_t void_after_counter;      /* 208: beyond: UNKNOWN */
  int64_t leap_utc_sec;             /* 216: POSIX time of the midnight the leap ends */
  int32_t smear_start_rel_sec;      /* 224: smear window, relative to leap_utc_sec */
  int32_t smear_end_rel_sec;        /* 228 */
  uint32_t source_refid;            /* 232 */
  int32_t tai_minus_utc;            /* 236: TAI - UTC at the anchor (+37), if TAI_OFFSET_VALID */
  uint64_t root_delay_nanosec;      /* 240 */
  uint64_t root_dispersion_nanosec; /* 248 */
  uint64_t host_disruption_marker;  /* 256: host vmclock marker of the calibration */
  uint64_t heartbeat_count;         /* 264: publications since the page was created */
  uint64_t heartbeat_counter;       /* 272: counter value at the last publication */
};

#define FFCLOCK_PAGE_SIZE 4096u

struct ffclock_page {
  struct ffclock_vmclock_abi vmclock; /* 0 */
  struct ffclock_page_ext ext;        /* 112 */
};

/* Layout checks: the vmclock part must match Linux byte for byte. */
FFCLOCK_STATIC_ASSERT(sizeof(struct ffclock_vmclock_abi) == 112, "vmclock_abi size");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, magic) == 0, "magic");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, size) == 4, "size");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, version) == 8, "version");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, counter_id) == 10, "counter_id");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, time_type) == 11, "time_type");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, seq_count) == 12, "seq_count");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, disruption_marker) == 16, "disruption_marker");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, flags) == 24, "flags");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, pad) == 32, "pad");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, clock_status) == 34, "clock_status");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, leap_second_smearing_hint) == 35, "smearing hint");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, tai_offset_sec) == 36, "tai_offset_sec");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, leap_indicator) == 38, "leap_indicator");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, counter_period_shift) == 39, "period shift");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, counter_value) == 40, "counter_value");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, counter_period_frac_sec) == 48, "period");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, counter_period_esterror_rate_frac_sec) == 56,
                      "esterror rate");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, counter_period_maxerror_rate_frac_sec) == 64,
                      "maxerror rate");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, time_sec) == 72, "time_sec");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, time_frac_sec) == 80, "time_frac_sec");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, time_esterror_nanosec) == 88, "time_esterror");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, time_maxerror_nanosec) == 96, "time_maxerror");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_vmclock_abi, vm_generation_counter) == 104, "vm_generation");

FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page, ext) == 112, "extension offset");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, magic) == 0, "ext magic");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, version) == 4, "ext version");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, size) == 6, "ext size");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, flags) == 8, "ext flags");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, period_frac_sec) == 16, "ext period");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, period_shift) == 24, "ext period shift");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, smear_kind) == 25, "ext smear kind");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, leap_delta) == 26, "ext leap delta");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, source_stratum) == 27, "ext stratum");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, tai_minus_utc_after) == 28, "ext tai after");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, mono_period_shift) == 30, "ext mono shift");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, counter_id) == 31, "ext counter id");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, mono_counter) == 32, "ext mono counter");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, mono_sec) == 40, "ext mono sec");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, mono_frac) == 48, "ext mono frac");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, mono_period_frac_sec) == 56, "ext mono period");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, mono_origin_tai_sec) == 64, "ext origin sec");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, mono_origin_tai_frac) == 72, "ext origin frac");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, step_generation) == 80, "ext step gen");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, stale_after_counter) == 88, "ext stale");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, void_after_counter) == 96, "ext void");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, leap_utc_sec) == 104, "ext leap");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, smear_start_rel_sec) == 112, "ext smear start");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, smear_end_rel_sec) == 116, "ext smear end");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, source_refid) == 120, "ext refid");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, tai_minus_utc) == 124, "ext tai offset");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, root_delay_nanosec) == 128, "ext root delay");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, root_dispersion_nanosec) == 136, "ext root disp");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, host_disruption_marker) == 144, "ext host marker");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, heartbeat_count) == 152, "ext heartbeat");
FFCLOCK_STATIC_ASSERT(offsetof(struct ffclock_page_ext, heartbeat_counter) == 160, "ext heartbeat ctr");
FFCLOCK_STATIC_ASSERT(sizeof(struct ffclock_page_ext) == 168, "ext size");
FFCLOCK_STATIC_ASSERT(sizeof(struct ffclock_page) == 280, "page struct size");
FFCLOCK_STATIC_ASSERT(sizeof(struct ffclock_page) <= FFCLOCK_PAGE_SIZE, "fits a page");

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FFCLOCK_PAGE_H */
