// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/sources_page.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/time/rfc3339.hpp"
#include "daemon/daemon_config.hpp"

namespace ffclock::daemon {

using core::engine::SourceState;
using Json = nlohmann::ordered_json;  // keys in the documented order

// The page uses the engine's own names for the states (docs/sources-page.md lists them).
const char* state_name(SourceState s) { return core::engine::to_string(s); }

const char* leap_name(core::LeapIndicator li) {
  switch (li) {
    case core::LeapIndicator::InsertSecond:
      return "insert";
    case core::LeapIndicator::DeleteSecond:
      return "delete";
    case core::LeapIndicator::None:
    case core::LeapIndicator::Unsynchronized:
      return "none";
  }
  return "none";
}

std::string refid_text(uint32_t refid, uint8_t stratum) {
  if (refid == 0) return "";
  // ASCII at stratum 0/1 and 16 (unsynchronized: "INIT", "SYS" over an undisciplined kernel).
  if (stratum >= 2 && stratum < 16) {
    return fmt::format("{}.{}.{}.{}", refid >> 24, (refid >> 16) & 0xFF, (refid >> 8) & 0xFF, refid & 0xFF);
  }
  std::string s;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const char c = static_cast<char>((refid >> shift) & 0xFF);
    if (c == '\0') break;
    s += (c >= 0x20 && c < 0x7F) ? c : '?';  // keep the document ASCII
  }
  return s;
}

namespace {

Json duration_ns(const std::optional<Duration>& d) { return d ? Json(d->to_nanoseconds()) : Json(nullptr); }

}  // namespace

std::string render_sources_page(const SourcesPageInput& in) {
  Json doc;
  doc["version"] = kSourcesPageVersion;
  doc["written_utc"] = core::format_rfc3339(in.written);
  doc["daemon"] = Json{
      {"pid", in.pid}, {"version", in.daemon_version}, {"started_utc", core::format_rfc3339(in.started, 0)}};
  doc["page"] = in.page;
  const auto& sel = in.summary.selected;
  doc["selected"] = sel && *sel < in.sources.size() ? Json(in.sources[*sel].snapshot.name) : Json(nullptr);
  doc["step_generation"] = in.summary.step_generation;
  doc["leap"] = leap_name(in.summary.leap);
  Json list = Json::array();
  for (const SourcesPageSource& src : in.sources) {
    const core::engine::SourceSnapshot& s = src.snapshot;
    Json j;
    j["name"] = s.name;
    j["address"] = src.address;
    j["mode"] = to_string(s.mode);
    j["state"] = state_name(s.state);
    j["reach"] = s.reach;
    j["poll_log2"] = s.poll_log2;
    j["stratum"] = s.stratum;
    j["refid"] = refid_text(s.refid, s.stratum);
    j["last_rtt_ns"] = duration_ns(s.last_rtt);
    j["min_rtt_ns"] = duration_ns(s.min_rtt);
    j["offset_ns"] = duration_ns(s.offset);
    j["bound_ns"] = duration_ns(s.bound);
    if (s.last_update_counter && in.nominal_hz != 0) {
      // Milliseconds are plenty for an age; the rounding keeps the document short.
      const uint64_t ticks =
          in.counter_now >= *s.last_update_counter ? in.counter_now - *s.last_update_counter : 0;
      const double ms = static_cast<double>(ticks / (in.nominal_hz / 1000 == 0 ? 1 : in.nominal_hz / 1000));
      j["last_update_age_s"] = ms / 1000.0;
    } else {
      j["last_update_age_s"] = nullptr;
    }
    j["exchanges"] = s.exchanges;
    j["rejected"] = s.rejected;
    j["kod"] = s.kod.empty() ? Json(nullptr) : Json(s.kod);
    j["unusable"] = s.unusable.empty() ? Json(nullptr) : Json(s.unusable);
    list.push_back(std::move(j));
  }
  doc["sources"] = std::move(list);
  if (in.server) {
    const core::server::ServerStats& st = *in.server;
    Json server;
    server["requests"] = st.requests;
    server["replies"] = st.replies;
    server["kod_sent"] = st.kod_sent;
    server["dropped"] = Json{{"malformed", st.dropped_malformed},
                             {"rate_limited", st.dropped_rate_limited},
                             {"denied", st.dropped_denied},
                             {"mode", st.dropped_mode}};
    doc["server"] = std::move(server);
  }
  return doc.dump(2) + "\n";
}

}  // namespace ffclock::daemon
