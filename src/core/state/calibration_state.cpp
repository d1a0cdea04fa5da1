// SPDX-License-Identifier: BSD-2-Clause
#include "core/state/calibration_state.hpp"

#include <charconv>
#include <cmath>
#include <vector>

#include "core/leap/sha1.hpp"
#include "core/time/rfc3339.hpp"

namespace ffclock::core {

namespace {

constexpr std::string_view kHeader = "# ffclock calibration state";

std::string hex_digest(std::string_view body) {
  const Sha1Digest d = sha1(body);
  std::string out;
  for (uint32_t w : d) {
    char buf[9];
    const auto r = std::to_chars(buf, buf + 8, w, 16);
    out.append(8 - static_cast<std::size_t>(r.ptr - buf), '0');
    out.append(buf, r.ptr);
  }
  return out;
}

std::string hexfloat(long double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::hex);
  return std::string(buf, r.ptr);
}

bool plain_token(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  }
  return true;
}

template <class T>
std::optional<T> number(std::string_view s, std::chars_format f = std::chars_format::general) {
  T v{};
  std::from_chars_result r;
  if constexpr (std::is_floating_point_v<T>)
    r = std::from_chars(s.data(), s.data() + s.size(), v, f);
  else
    r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string encode_state(const CalibrationState& s) {
  std::string body(kHeader);
  body += "\nversion 1";
  body += "\ncounter " + s.identity.counter;
  body += "\nnominal_hz " + std::to_string(s.identity.nominal_hz);
  body += "\nboot_id " + (s.identity.boot_id.empty() ? std::string("-") : s.identity.boot_id);
  body += "\nhost_marker " +
          (s.identity.host_marker ? std::to_string(*s.identity.host_marker) : std::string("none"));
  body += "\nsaved_at " + format_rfc3339(s.saved_at);
  body += "\nperiod " + hexfloat(s.period_s);
  body += "\nperiod_maxerror_rel " + hexfloat(s.period_maxerror_rel);
  body += "\n";
  return body + "sha1 " + hex_digest(body) + "\n";
}

Result<CalibrationState, StateError> parse_state(std::string_view text) {
  auto fail = [](uint32_t line, std::string reason) {
    return Unexpected{StateError{line, std::move(reason)}};
  };
  if (text.size() > kMaxStateFileBytes) return fail(0, "larger than a state file can be");
  const auto seal = text.rfind("sha1 ");
  if (seal == std::string_view::npos || (seal > 0 && text[seal - 1] != '\n'))
    return fail(0, "no sha1 line: truncated?");
  std::string_view digest = text.substr(seal + 5);
  if (!digest.empty() && digest.back() == '\n') digest.remove_suffix(1);
  if (digest != hex_digest(text.substr(0, seal))) return fail(0, "sha1 does not match the content");

  CalibrationState s;
  bool seen[8] = {};
  const char* keys[8] = {"version",     "counter",  "nominal_hz", "boot_id",
                         "host_marker", "saved_at", "period",     "period_maxerror_rel"};
  uint32_t line_no = 0;
  std::string_view rest = text.substr(0, seal);
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    ++line_no;
    if (line_no == 1) {
      if (line != kHeader) return fail(1, "not an ffclock state file");
      continue;
    }
    const auto sp = line.find(' ');
    if (sp == std::string_view::npos) return fail(line_no, "expected `key value`");
    const std::string_view key = line.substr(0, sp);
    const std::string_view value = line.substr(sp + 1);
    int k = -1;
    for (int i = 0; i < 8; ++i) {
      if (key == keys[i]) k = i;
    }
    if (k < 0) return fail(line_no, "unknown key " + std::string(key));
    if (seen[k]) return fail(line_no, "duplicate key " + std::string(key));
    seen[k] = true;
    switch (k) {
      case 0:
        if (value != "1") return fail(line_no, "unsupported version");
        break;
      case 1:
        if (!plain_token(value)) return fail(line_no, "bad counter name");
        s.identity.counter = value;
        break;
      case 2: {
        const auto v = number<uint64_t>(value);
        if (!v || *v == 0) return fail(line_no, "bad nominal_hz");
        s.identity.nominal_hz = *v;
        break;
      }
      case 3:
        if (!plain_token(value)) return fail(line_no, "bad boot_id");
        s.identity.boot_id = value == "-" ? std::string() : std::string(value);
        break;
      case 4:
        if (value != "none") {
          const auto v = number<uint64_t>(value);
          if (!v) return fail(line_no, "bad host_marker");
          s.identity.host_marker = *v;
        }
        break;
      case 5: {
        const auto t = parse_rfc3339(value);
        if (!t) return fail(line_no, "bad saved_at");
        s.saved_at = *t;
        break;
      }
      case 6: {
        const auto v = number<long double>(value, std::chars_format::hex);
        if (!v || !(*v > 0) || !(*v < 1)) return fail(line_no, "bad period");
        s.period_s = *v;
        break;
      }
      case 7: {
        const auto v = number<double>(value, std::chars_format::hex);
        if (!v || !(*v >= 0) || !(*v < 1e-3)) return fail(line_no, "bad period_maxerror_rel");
        s.period_maxerror_rel = *v;
        break;
      }
      default:
        break;
    }
  }
  for (int i = 0; i < 8; ++i) {
    if (!seen[i]) return fail(0, std::string("missing key ") + keys[i]);
  }
  return s;
}

std::optional<std::string> warm_start_refusal(const CalibrationState& s, const CounterIdentity& now_id,
                                              UtcTime now, Duration max_age) {
  if (s.identity.counter != now_id.counter)
    return "saved for counter " + s.identity.counter + ", running on " + now_id.counter;
  if (s.identity.nominal_hz != now_id.nominal_hz)
    return std::string("the counter's nominal frequency changed");
  if (s.identity.boot_id != now_id.boot_id) return std::string("saved in another boot");
  if (s.identity.host_marker != now_id.host_marker)
    return std::string("the host's disruption marker changed");
  const Duration age = now - s.saved_at;
  if (age < Duration{}) return std::string("saved in the future");
  if (age > max_age) return std::string("older than the warm-start limit");
  // A period is never exact to 1e-15: a bound that small is not a measured one.
  if (!(s.period_maxerror_rel > 0)) return std::string("no error bound");
  return std::nullopt;
}

}  // namespace ffclock::core
