// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The leap-second table from an IERS/NIST leap-seconds.list text: TAI−UTC at any instant,
// the next scheduled leap as a LeapEvent for the page and the smears, and the file's expiry.
//
// Pure: the caller supplies the text (platform/leap_file reads it). The file's `#h` SHA-1 is
// verified. Past its expiry the table is still usable, but the caller must treat leap status
// beyond the expiry as unknown (expired()).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "ffclock/smear.hpp"
#include "ffclock/time.hpp"

namespace ffclock::core {

// NTP epoch (1900-01-01) to POSIX epoch, in seconds.
inline constexpr int64_t kNtpToUnixSeconds = 2'208'988'800;

enum class LeapParseErrc : uint8_t {
  MissingLastUpdate,     // no `#$` line
  MissingExpiry,         // no `#@` line
  MissingHash,           // no `#h` line (and the options require one)
  DuplicateSpecialLine,  // a second `#$`, `#@` or `#h`
  BadSpecialLine,        // `#$` / `#@` value not a number
  BadHashLine,           // `#h` is not five hex words of at most 8 digits
  BadDataLine,           // not `<NTP seconds> <TAI−UTC> [# comment]`
  NumberOutOfRange,      // a time before 1900 or after year ~292e9, or an absurd offset
  NotMidnight,           // a leap date not at 00:00:00 UTC
  NoEntries,             // no data lines
  NonMonotonicDates,     // data dates not strictly increasing
  BadOffsetStep,         // consecutive offsets differ by something other than ±1
  ExpiryBeforeUpdate,    // `#@` not after `#$`
  HashMismatch,          // the SHA-1 does not match the content
};

// What went wrong and where (1-based line; 0 when the problem is the file as a whole).
struct LeapParseError {
  LeapParseErrc code;
  uint32_t line;

  friend bool operator==(const LeapParseError&, const LeapParseError&) = default;
};

[[nodiscard]] std::string_view to_string(LeapParseErrc code);

struct LeapParseOptions {
  // IERS, NIST and tzdata copies all carry `#h`; a file without one is rejected by default.
  bool require_hash = true;
};

class LeapTable {
 public:
  // From `utc_s` (POSIX seconds of a 00:00:00 UTC) on, TAI−UTC is `tai_minus_utc`.
  struct Entry {
    int64_t utc_s;
    int32_t tai_minus_utc;

    friend bool operator==(const Entry&, const Entry&) = default;
  };

  [[nodiscard]] static Result<LeapTable, LeapParseError> parse(std::string_view text,
                                                               LeapParseOptions options = {});

  const std::vector<Entry>& entries() const { return entries_; }
  UtcTime last_update() const { return UtcTime::from_unix(last_update_utc_s_); }
  UtcTime expiry() const { return UtcTime::from_unix(expiry_utc_s_); }
  bool has_hash() const { return has_hash_; }
  // True from the expiry on: leaps after it may be missing from the table.
  bool expired(UtcTime now) const { return now >= expiry(); }

  // TAI−UTC at a POSIX UTC instant. The new offset applies from the leap midnight; instants
  // before 1972 get the first entry's offset (10 s), since UTC had no integer offset then.
  [[nodiscard]] int32_t tai_minus_utc_at(UtcTime t) const;
  // TAI−UTC at a TAI instant. An inserted second 23:59:60 already uses the new offset (POSIX
  // UTC repeats 23:59:59, as utc_from_tai does).
  [[nodiscard]] int32_t tai_minus_utc_at(TaiTime t) const;
  // POSIX UTC at a TAI instant, across every leap in the table.
  [[nodiscard]] UtcTime utc_at(TaiTime t) const;

  // The first leap strictly after the instant (a UTC instant compares with the leap midnight,
  // a TAI instant with the start of the leap in TAI); nullopt if none is in the table.
  [[nodiscard]] std::optional<LeapEvent> next_event_after(UtcTime t) const;
  [[nodiscard]] std::optional<LeapEvent> next_event_after(TaiTime t) const;
  // The latest leap at or before the instant (what a smear window that ends after the leap
  // still needs); nullopt before the first leap.
  [[nodiscard]] std::optional<LeapEvent> last_event_at_or_before(UtcTime t) const;
  [[nodiscard]] std::optional<LeapEvent> last_event_at_or_before(TaiTime t) const;

 private:
  LeapTable() = default;
  // The event that starts at entries_[i] (i >= 1).
  LeapEvent event_at(size_t i) const;
  // TAI seconds at which entries_[i] takes effect: L + min(offset before, offset after).
  int64_t tai_switch_s(size_t i) const;
  // Index of the last entry in effect at the instant, or -1 before the first.
  int64_t index_at(UtcTime t) const;
  int64_t index_at(TaiTime t) const;

  std::vector<Entry> entries_;
  int64_t last_update_utc_s_ = 0;
  int64_t expiry_utc_s_ = 0;
  bool has_hash_ = false;
};

}  // namespace ffclock::core
