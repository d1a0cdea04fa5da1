// SPDX-License-Identifier: BSD-2-Clause
#include "core/time/rfc3339.hpp"

#include <cstdio>

namespace ffclock::core {

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

std::string format_rfc3339(UtcTime t, int digits) {
  if (digits < 0) digits = 0;
  if (digits > 9) digits = 9;
  const auto split = t.split_nanos();
  const int64_t secs = split.sec;
  // Floor division without overflow for any int64 (days * 86400 may not be representable).
  const int64_t sod = secs % 86400 < 0 ? secs % 86400 + 86400 : secs % 86400;
  const int64_t days = secs / 86400 - (secs % 86400 < 0 ? 1 : 0);
  const CivilDate c = civil_from_days(days);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d", static_cast<long long>(c.year),
                        c.month, c.day, static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                        static_cast<int>(sod % 60));
  std::string out(buf, static_cast<size_t>(n));
  if (digits > 0) {
    const uint32_t ns = split.nsec;
    char frac[16];
    std::snprintf(frac, sizeof frac, "%09u", ns);
    out += '.';
    out.append(frac, static_cast<size_t>(digits));
  }
  out += 'Z';
  return out;
}

namespace {

bool take_digits(std::string_view& s, size_t n, int64_t& out) {
  if (s.size() < n) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  s.remove_prefix(n);
  return true;
}

bool take_char(std::string_view& s, char a, char b = '\0') {
  if (s.empty() || (s[0] != a && (b == '\0' || s[0] != b))) return false;
  s.remove_prefix(1);
  return true;
}

unsigned days_in_month(int64_t y, int64_t m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

Result<UtcTime, Rfc3339Error> parse_rfc3339(std::string_view s) {
  int64_t y, mo, d, h, mi, se;
  if (!take_digits(s, 4, y) || !take_char(s, '-') || !take_digits(s, 2, mo) || !take_char(s, '-') ||
      !take_digits(s, 2, d) || !take_char(s, 'T', 't') || !take_digits(s, 2, h) || !take_char(s, ':') ||
      !take_digits(s, 2, mi) || !take_char(s, ':') || !take_digits(s, 2, se)) {
    return Unexpected{Rfc3339Error::Syntax};
  }
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 60) {
    return Unexpected{Rfc3339Error::FieldRange};
  }
  int64_t ns = 0;
  if (take_char(s, '.')) {
    size_t n = 0;
    int64_t scale = 100'000'000;
    bool round_up = false;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
      if (n < 9) {
        ns += (s[n] - '0') * scale;
        scale /= 10;
      } else if (n == 9) {
        round_up = s[n] >= '5';
      }
      ++n;
    }
    if (n == 0) return Unexpected{Rfc3339Error::Syntax};
    s.remove_prefix(n);
    if (round_up) ++ns;
  }
  int64_t offset_s = 0;
  if (!take_char(s, 'Z', 'z')) {
    if (s.empty() || (s[0] != '+' && s[0] != '-')) return Unexpected{Rfc3339Error::Syntax};
    const int sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
    int64_t oh, om;
    if (!take_digits(s, 2, oh) || !take_char(s, ':') || !take_digits(s, 2, om)) {
      return Unexpected{Rfc3339Error::Syntax};
    }
    if (oh > 23 || om > 59) return Unexpected{Rfc3339Error::FieldRange};
    offset_s = sign * (oh * 3600 + om * 60);
  }
  if (!s.empty()) return Unexpected{Rfc3339Error::Syntax};
  const int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - offset_s;
  return UtcTime::from_unix(secs) + Duration::nanoseconds(ns);
}

}  // namespace ffclock::core
