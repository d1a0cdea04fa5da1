// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Pure page encoding and decoding: PageInput + writer state -> ffclock_page field values
// (a plain value, not the shared memory), and a page value -> validated, typed contents.
// The platform PageWriter stores the encoded fields under the seqlock.

#include <cstdint>
#include <optional>

#include "core/page/monotonic.hpp"
#include "core/page/page_input.hpp"
#include "core/result.hpp"
#include "ffclock/page.h"

namespace ffclock::core {

// State the writer carries from one publication to the next.
struct WriterState {
  MonotonicSegment mono;
  uint64_t step_generation = 0;
  uint64_t heartbeat_count = 0;
};

struct EncodedPage {
  ffclock_page page{};  // every field, seq_count left 0 (the writer owns it)
  WriterState next;
};

// Encodes a publication whose switch-over counter (read inside the write section) is c0.
[[nodiscard]] EncodedPage encode_page(const PageInput& in, const WriterState& state, uint64_t c0,
                                      const MonotonicConfig& mono_config = {});

enum class PageError : uint8_t {
  TooSmall,       // shorter than the structure
  BadMagic,       // not a vmclock page
  BadVersion,     // vmclock version other than 1
  BadSize,        // size field smaller than the structure or than the mapping allows
  NoExtension,    // a plain vmclock page without the ffclock extension
  BadExtVersion,  // extension of an unknown version
  OutOfRange,     // times no writer publishes (|t| >= 2^40 s)
};
[[nodiscard]] const char* to_string(PageError e);

// Checks magic, version and sizes of a page value (region_size: bytes actually mapped).
[[nodiscard]] std::optional<PageError> validate_page(const ffclock_page& page, uint64_t region_size);

struct DecodedPage {
  PageInput input;  // reference_step and stale/void durations are not recoverable exactly
  uint64_t stale_after_counter = 0;
  uint64_t void_after_counter = 0;
  WriterState state;  // monotonic segment, step generation, heartbeat
  uint64_t heartbeat_counter = 0;
};
[[nodiscard]] Result<DecodedPage, PageError> decode_page(const ffclock_page& page, uint64_t region_size);

// The page's CONSTANT header for an input: vmclock's counter_id (ARM_VCNT, X86_TSC or
// INVALID; the real id goes in ext.counter_id) and time_type (TAI when TAI - UTC is known).
[[nodiscard]] uint8_t vmclock_counter_id(uint8_t counter_id);
[[nodiscard]] uint8_t page_time_type(const PageInput& in);

// SyncStatus (+ the unreliable flag) to a vmclock clock_status and back.
[[nodiscard]] uint8_t to_clock_status(SyncStatus s, bool unreliable);
[[nodiscard]] SyncStatus from_clock_status(uint8_t s);

}  // namespace ffclock::core
