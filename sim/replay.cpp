// SPDX-License-Identifier: BSD-2-Clause
#include "sim/replay.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <istream>
#include <ostream>

#include "core/time/rfc3339.hpp"

namespace ffclock::sim {

namespace {

std::string_view next_field(std::string_view& s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
  size_t j = i;
  while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '\r') ++j;
  const std::string_view f = s.substr(i, j - i);
  s.remove_prefix(j);
  return f;
}

std::optional<uint64_t> parse_counter(std::string_view f) {
  uint64_t v = 0;
  const auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (ec != std::errc{} || p != f.data() + f.size()) return std::nullopt;
  return v;
}

// "1234567890.123456789" -> UtcTime, exactly (up to 19 fraction digits).
std::optional<UtcTime> parse_seconds(std::string_view f) {
  const size_t dot = f.find('.');
  const std::string_view whole = f.substr(0, dot);
  int64_t sec = 0;
  const auto [p, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), sec);
  if (ec != std::errc{} || p != whole.data() + whole.size() || sec < 0) return std::nullopt;
  UtcTime t = UtcTime::from_unix(sec);
  if (dot == std::string_view::npos) return t;
  const std::string_view frac = f.substr(dot + 1);
  if (frac.empty() || frac.size() > 19) return std::nullopt;
  uint64_t digits = 0, scale = 1;
  for (char c : frac) {
    if (c < '0' || c > '9') return std::nullopt;
    digits = digits * 10 + static_cast<uint64_t>(c - '0');
    scale *= 10;
  }
  // Rounded to the nearest 2^-64 s, like Time::from_unix_nanos.
  const auto sc = static_cast<int128>(scale);
  return t + Duration::from_fixed((static_cast<int128>(digits) * kFixedOneSecond + sc / 2) / sc);
}

const char* verdict_name(core::ExchangeVerdict v) {
  switch (v) {
    case core::ExchangeVerdict::Used:
      return "used";
    case core::ExchangeVerdict::UsedWarmUp:
      return "warmup";
    case core::ExchangeVerdict::RejectedInsane:
      return "insane";
    case core::ExchangeVerdict::RejectedServer:
      return "server";
    case core::ExchangeVerdict::KeptOldPeriod:
      return "kept-period";
    case core::ExchangeVerdict::KeptOldOffset:
      return "kept-offset";
    case core::ExchangeVerdict::ServerChanged:
      return "server-changed";
  }
  return "?";
}

}  // namespace

StampLine parse_radclock_stamp(std::string_view line) {
  StampLine out;
  std::string_view rest = line;
  const std::string_view first = next_field(rest);
  if (first.empty() || first.front() == '%' || first.front() == '#') return out;
  const std::string_view f_tb = next_field(rest);
  const std::string_view f_te = next_field(rest);
  const std::string_view f_tf = next_field(rest);
  const auto ta = parse_counter(first);
  const auto tb = parse_seconds(f_tb);
  const auto te = parse_seconds(f_te);
  const auto tf = parse_counter(f_tf);
  if (!ta)
    out.error = "Ta is not a counter value: \"" + std::string(first) + "\"";
  else if (!tb)
    out.error = "Tb is not a time in seconds: \"" + std::string(f_tb) + "\"";
  else if (!te)
    out.error = "Te is not a time in seconds: \"" + std::string(f_te) + "\"";
  else if (!tf)
    out.error = "Tf is not a counter value: \"" + std::string(f_tf) + "\"";
  if (!out.error.empty()) return out;
  core::Exchange ex;
  ex.ta = *ta;
  ex.tb = *tb;
  ex.te = *te;
  ex.tf = *tf;
  ex.server.stratum = 1;  // the ascii format does not carry the server's header
  out.exchange = ex;
  return out;
}

int replay_radclock_ascii(std::istream& in, const std::string& source, ClockUnderTest& clock,
                          std::ostream& out) {
  out << fmt::format("{:>7} {:<14} {:>16} {:<32} {:>12} {:>12}\n", "stamp", "verdict", "period_ns",
                     "time at Tf", "Te-Ca(Tf)_us", "maxerr_us");
  std::string line;
  uint64_t lineno = 0, stamps = 0;
  while (std::getline(in, line)) {
    ++lineno;
    const StampLine s = parse_radclock_stamp(line);
    if (!s.error.empty()) {
      out.flush();
      std::fputs(fmt::format("{}:{}: {}\n", source, lineno, s.error).c_str(), stderr);
      return 2;
    }
    if (!s.exchange) continue;
    ++stamps;
    const core::ExchangeVerdict v = clock.add(*s.exchange);
    const auto p = clock.params();
    if (!p) {
      out << fmt::format("{:>7} {:<14} (nothing published yet)\n", stamps, verdict_name(v));
      continue;
    }
    const UtcTime at_tf = p->time_at(s.exchange->tf);
    out << fmt::format("{:>7} {:<14} {:>16.9f} {:<32} {:>12.3f} {:>12.3f}\n", stamps, verdict_name(v),
                       static_cast<double>(p->period.to_seconds() * 1e9L), core::format_rfc3339(at_tf),
                       (s.exchange->te - at_tf).to_seconds() * 1e6,
                       p->maxerror_at(s.exchange->tf).to_seconds() * 1e6);
  }
  return 0;
}

}  // namespace ffclock::sim
