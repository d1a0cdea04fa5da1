// SPDX-License-Identifier: BSD-2-Clause
// Text and JSON for `serverstats` (see serverstats_report.hpp).
#include "serverstats_report.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace ffclock::tool {
namespace {

using nlohmann::json;

// The reasons ffclockd writes (docs/sources-page.md), in display order, with their labels;
// a reason this ffclock does not know is still shown, under its own name.
constexpr std::array<std::pair<const char*, const char*>, 4> kReasons{{
    {"malformed", "malformed"},
    {"denied", "denied (allow/deny)"},
    {"rate_limited", "rate-limited (incl. KoD)"},
    {"mode", "mode 6/7 or other modes"},
}};

bool known(const std::string& reason) {
  for (const auto& [key, label] : kReasons) {
    if (reason == key) return true;
  }
  return false;
}

// Reasons come from a file: control characters would drive the terminal.
std::string printable(std::string text) {
  for (char& ch : text) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
  }
  return text;
}

uint64_t count_of(const ServerCounters& c, const std::string& reason) {
  const auto it = c.dropped.find(reason);
  return it == c.dropped.end() ? 0 : it->second;
}

}  // namespace

uint64_t dropped_total(const ServerCounters& c) {
  uint64_t total = 0;
  for (const auto& [reason, n] : c.dropped) total += n;
  return total;
}

json serverstats_to_json(const SourcesPage& page, const ServerCounters& c, std::optional<double> age_s) {
  json dropped = json::object();
  for (const auto& [key, label] : kReasons) dropped[key] = count_of(c, key);
  for (const auto& [reason, n] : c.dropped) {
    if (!known(reason)) dropped[reason] = n;
  }
  return json{{"requests", c.requests},
              {"replies", c.replies},
              {"kod_sent", c.kod_sent},
              {"dropped", dropped},
              {"dropped_total", dropped_total(c)},
              {"written_utc", page.written_utc},
              {"page_age_s", age_s ? json(*age_s) : json(nullptr)}};
}

std::string serverstats_to_text(const SourcesPage& page, const ServerCounters& c,
                                std::optional<double> age_s) {
  std::string out;
  const auto line = [&out](const std::string& label, uint64_t n) {
    out += fmt::format("{:<37}: {}\n", label, n);
  };
  line("NTP requests received", c.requests);
  line("NTP replies sent", c.replies);
  line("KoD RATE replies sent", c.kod_sent);
  line("Requests dropped", dropped_total(c));
  for (const auto& [key, label] : kReasons) line(fmt::format("  {}", label), count_of(c, key));
  for (const auto& [reason, n] : c.dropped) {
    if (!known(reason)) line("  " + printable(reason), n);
  }
  if (age_s) {
    out += fmt::format("{:<37}: {:.1f} s ago\n", "Counters written", *age_s);
  } else if (!page.written_utc.empty()) {
    out += fmt::format("{:<37}: {}\n", "Counters written", printable(page.written_utc));
  }
  return out;
}

}  // namespace ffclock::tool
