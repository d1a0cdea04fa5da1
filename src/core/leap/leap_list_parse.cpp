// SPDX-License-Identifier: BSD-2-Clause
// Parser for the IERS/NIST leap-seconds.list format (see docs/seqlock-leap-smear.md §4.5):
// `#$` last update, `#@` expiry, `#h` SHA-1, data lines `<NTP seconds> <TAI−UTC> # date`.
#include <array>
#include <optional>
#include <string>

#include "core/leap/leap_table.hpp"
#include "core/leap/sha1.hpp"

namespace ffclock::core {
namespace {

// NTP seconds beyond 2^40 (year ~36 800) are not a leap table, whatever the file says.
constexpr int64_t kMaxNtpSeconds = int64_t{1} << 40;
constexpr int64_t kMaxAbsOffset = 100'000;
constexpr int64_t kSecondsPerDay = 86'400;

constexpr bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// Whitespace-separated tokens of a line, in order.
class Tokens {
 public:
  explicit Tokens(std::string_view s) : rest_(s) {}
  std::optional<std::string_view> next() {
    size_t i = 0;
    while (i < rest_.size() && is_blank(rest_[i])) ++i;
    if (i == rest_.size()) return std::nullopt;
    size_t j = i;
    while (j < rest_.size() && !is_blank(rest_[j])) ++j;
    const std::string_view tok = rest_.substr(i, j - i);
    rest_ = rest_.substr(j);
    return tok;
  }

 private:
  std::string_view rest_;
};

// A decimal integer with an optional sign, within [-limit, limit].
std::optional<int64_t> parse_decimal(std::string_view s, int64_t limit) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
    if (v > limit) return std::nullopt;
  }
  return negative ? -v : v;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// One hash word: 1..8 hex digits (old NIST copies dropped leading zeros).
std::optional<uint32_t> parse_hex_word(std::string_view s) {
  if (s.empty() || s.size() > 8) return std::nullopt;
  uint32_t v = 0;
  for (char c : s) {
    uint32_t d = 0;
    if (c >= '0' && c <= '9') {
      d = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      d = static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      d = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    v = (v << 4) | d;
  }
  return v;
}

// A `#$` / `#@` value: one NTP-seconds token. Returns the token (hashed as written).
std::optional<std::string_view> special_value(std::string_view rest) {
  Tokens t(rest);
  const auto tok = t.next();
  if (!tok || t.next() || !all_digits(*tok)) return std::nullopt;
  return tok;
}

struct Special {
  std::string_view text;  // as written, for the hash
  int64_t utc_s = 0;
  uint32_t line = 0;
};

}  // namespace

Result<LeapTable, LeapParseError> LeapTable::parse(std::string_view text, LeapParseOptions options) {
  LeapTable table;
  std::optional<Special> last_update;
  std::optional<Special> expiry;
  std::optional<Sha1Digest> declared_hash;
  std::string hashed_data;  // numeric fields of every data line, whitespace removed
  const auto fail = [](LeapParseErrc code, uint32_t line) { return Unexpected{LeapParseError{code, line}}; };

  uint32_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);

    if (!line.empty() && line[0] == '#') {
      // Special lines have their tag in column 2; everything else after '#' is a comment.
      const char tag = line.size() > 1 ? line[1] : ' ';
      const std::string_view rest = line.substr(line.size() > 1 ? 2 : 1);
      if (tag == '$' || tag == '@') {
        std::optional<Special>& slot = tag == '$' ? last_update : expiry;
        if (slot) return fail(LeapParseErrc::DuplicateSpecialLine, line_no);
        const auto value = special_value(rest);
        if (!value) return fail(LeapParseErrc::BadSpecialLine, line_no);
        const auto ntp = parse_decimal(*value, kMaxNtpSeconds);
        if (!ntp) return fail(LeapParseErrc::NumberOutOfRange, line_no);
        slot = Special{*value, *ntp - kNtpToUnixSeconds, line_no};
      } else if (tag == 'h') {
        if (declared_hash) return fail(LeapParseErrc::DuplicateSpecialLine, line_no);
        Tokens t(rest);
        Sha1Digest words{};
        for (uint32_t& w : words) {
          const auto tok = t.next();
          const auto v = tok ? parse_hex_word(*tok) : std::nullopt;
          if (!v) return fail(LeapParseErrc::BadHashLine, line_no);
          w = *v;
        }
        if (t.next()) return fail(LeapParseErrc::BadHashLine, line_no);
        declared_hash = words;
      }
      continue;
    }

    // Data line: the fields before any '#'.
    Tokens t(line.substr(0, line.find('#')));
    const auto date_tok = t.next();
    if (!date_tok) continue;  // blank, or only an indented comment
    const auto offset_tok = t.next();
    if (!offset_tok || t.next() || !all_digits(*date_tok)) return fail(LeapParseErrc::BadDataLine, line_no);
    const auto ntp = parse_decimal(*date_tok, kMaxNtpSeconds);
    const auto offset = parse_decimal(*offset_tok, kMaxAbsOffset);
    if (!ntp) return fail(LeapParseErrc::NumberOutOfRange, line_no);
    if (!offset) {
      const bool numeric = parse_decimal(*offset_tok, INT64_MAX / 10).has_value();
      return fail(numeric ? LeapParseErrc::NumberOutOfRange : LeapParseErrc::BadDataLine, line_no);
    }
    if (*ntp % kSecondsPerDay != 0) return fail(LeapParseErrc::NotMidnight, line_no);

    const Entry entry{*ntp - kNtpToUnixSeconds, static_cast<int32_t>(*offset)};
    if (!table.entries_.empty()) {
      const Entry& prev = table.entries_.back();
      if (entry.utc_s <= prev.utc_s) return fail(LeapParseErrc::NonMonotonicDates, line_no);
      const int64_t step = int64_t{entry.tai_minus_utc} - prev.tai_minus_utc;
      if (step != 1 && step != -1) return fail(LeapParseErrc::BadOffsetStep, line_no);
    }
    table.entries_.push_back(entry);
    hashed_data.append(*date_tok);
    hashed_data.append(*offset_tok);
  }

  if (!last_update) return fail(LeapParseErrc::MissingLastUpdate, 0);
  if (!expiry) return fail(LeapParseErrc::MissingExpiry, 0);
  if (!declared_hash && options.require_hash) return fail(LeapParseErrc::MissingHash, 0);
  if (table.entries_.empty()) return fail(LeapParseErrc::NoEntries, 0);
  if (expiry->utc_s <= last_update->utc_s) return fail(LeapParseErrc::ExpiryBeforeUpdate, expiry->line);

  if (declared_hash) {
    // Order fixed by the format: `#$` value, `#@` value, then the data fields in file order.
    Sha1 sha;
    sha.update(last_update->text);
    sha.update(expiry->text);
    sha.update(hashed_data);
    if (sha.finish() != *declared_hash) return fail(LeapParseErrc::HashMismatch, 0);
  }

  table.last_update_utc_s_ = last_update->utc_s;
  table.expiry_utc_s_ = expiry->utc_s;
  table.has_hash_ = declared_hash.has_value();
  return table;
}

std::string_view to_string(LeapParseErrc code) {
  switch (code) {
    case LeapParseErrc::MissingLastUpdate:
      return "missing #$ (last update) line";
    case LeapParseErrc::MissingExpiry:
      return "missing #@ (expiry) line";
    case LeapParseErrc::MissingHash:
      return "missing #h (SHA-1) line";
    case LeapParseErrc::DuplicateSpecialLine:
      return "duplicate #$, #@ or #h line";
    case LeapParseErrc::BadSpecialLine:
      return "#$ or #@ value is not a number";
    case LeapParseErrc::BadHashLine:
      return "#h is not five hex words";
    case LeapParseErrc::BadDataLine:
      return "malformed data line";
    case LeapParseErrc::NumberOutOfRange:
      return "number out of range";
    case LeapParseErrc::NotMidnight:
      return "leap date not at midnight UTC";
    case LeapParseErrc::NoEntries:
      return "no data lines";
    case LeapParseErrc::NonMonotonicDates:
      return "data dates not increasing";
    case LeapParseErrc::BadOffsetStep:
      return "TAI-UTC step is not +1 or -1";
    case LeapParseErrc::ExpiryBeforeUpdate:
      return "expiry not after last update";
    case LeapParseErrc::HashMismatch:
      return "SHA-1 hash mismatch";
  }
  return "unknown leap-seconds.list error";
}

}  // namespace ffclock::core
