// SPDX-License-Identifier: BSD-2-Clause
// Parsing the sources page (see sources_page.hpp and docs/sources-page.md).
#include "sources_page.hpp"

#include <fmt/format.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "input_file.hpp"

namespace ffclock::tool {
namespace {

using nlohmann::json;

// A type or range error, with the key's path ("sources[2].reach").
struct KeyError {
  std::string message;
};

const char* kind(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a number with a fraction";
    default:
      return "an unsupported value";
  }
}

[[noreturn]] void wrong(const std::string& path, const char* want, const json& v) {
  throw KeyError{fmt::format("{}: expected {}, got {}", path, want, kind(v))};
}

// Reads the keys of one object; `prefix` names it in messages.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string prefix) : object_(object), prefix_(std::move(prefix)) {
    if (!object_.is_object()) wrong(prefix_.empty() ? "sources page" : prefix_, "an object", object_);
  }

  [[nodiscard]] const json* find(const char* key) const {
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }
  [[nodiscard]] std::string path(const char* key) const {
    return prefix_.empty() ? key : prefix_ + "." + key;
  }

  // An integer in [lo, hi]; absent (or null when `nullable`) gives nothing.
  std::optional<int64_t> integer(const char* key, int64_t lo, int64_t hi, bool nullable = false) const {
    const json* v = find(key);
    if (v == nullptr || (nullable && v->is_null())) return std::nullopt;
    const std::string where = path(key);
    if (v->is_number_unsigned()) {
      const uint64_t u = v->get<uint64_t>();
      if (u > static_cast<uint64_t>(hi))
        throw KeyError{fmt::format("{}: {} is out of range [{}, {}]", where, u, lo, hi)};
      return static_cast<int64_t>(u);
    }
    if (!v->is_number_integer()) wrong(where, nullable ? "an integer or null" : "an integer", *v);
    const int64_t i = v->get<int64_t>();
    if (i < lo || i > hi) throw KeyError{fmt::format("{}: {} is out of range [{}, {}]", where, i, lo, hi)};
    return i;
  }
  std::optional<uint64_t> count(const char* key) const {
    const json* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<int64_t>() >= 0)) {
      wrong(path(key), "a non-negative integer", *v);
    }
    return v->get<uint64_t>();
  }
  std::optional<double> number(const char* key, bool nullable) const {
    const json* v = find(key);
    if (v == nullptr || (nullable && v->is_null())) return std::nullopt;
    if (!v->is_number()) wrong(path(key), nullable ? "a number or null" : "a number", *v);
    const double d = v->get<double>();
    if (!(d >= 0.0) || d > 1e18) throw KeyError{fmt::format("{}: {} is out of range", path(key), d)};
    return d;
  }
  std::optional<std::string> string(const char* key, bool nullable = false) const {
    const json* v = find(key);
    if (v == nullptr || (nullable && v->is_null())) return std::nullopt;
    if (!v->is_string()) wrong(path(key), nullable ? "a string or null" : "a string", *v);
    return v->get<std::string>();
  }
  const json& required(const char* key) const {
    const json* v = find(key);
    if (v == nullptr) throw KeyError{fmt::format("{}: missing", path(key))};
    return *v;
  }

 private:
  const json& object_;
  std::string prefix_;
};

constexpr int64_t kMaxI64 = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinI64 = std::numeric_limits<int64_t>::min();

SourceEntry read_source(const json& v, size_t index) {
  const ObjectReader r(v, fmt::format("sources[{}]", index));
  SourceEntry s;
  const json& name = r.required("name");
  if (!name.is_string()) wrong(r.path("name"), "a string", name);
  s.name = name.get<std::string>();
  s.address = r.string("address").value_or("");
  s.mode = r.string("mode").value_or("");
  s.state = r.string("state").value_or("");
  s.reach = static_cast<unsigned>(r.integer("reach", 0, 255).value_or(0));
  s.poll_log2 = static_cast<int>(r.integer("poll_log2", -32, 32).value_or(0));
  s.stratum = static_cast<unsigned>(r.integer("stratum", 0, 16).value_or(0));
  s.refid = r.string("refid").value_or("");
  s.last_rtt_ns = r.integer("last_rtt_ns", 0, kMaxI64, true);
  s.min_rtt_ns = r.integer("min_rtt_ns", 0, kMaxI64, true);
  s.offset_ns = r.integer("offset_ns", kMinI64 + 1, kMaxI64, true);
  s.bound_ns = r.integer("bound_ns", 0, kMaxI64, true);
  s.last_update_age_s = r.number("last_update_age_s", true);
  s.exchanges = r.count("exchanges").value_or(0);
  s.rejected = r.count("rejected").value_or(0);
  s.kod = r.string("kod", true);
  s.unusable = r.string("unusable", true);
  return s;
}

ServerCounters read_server(const json& v) {
  const ObjectReader r(v, "server");
  ServerCounters c;
  c.requests = r.count("requests").value_or(0);
  c.replies = r.count("replies").value_or(0);
  c.kod_sent = r.count("kod_sent").value_or(0);
  if (const json* dropped = r.find("dropped")) {
    const ObjectReader d(*dropped, "server.dropped");
    for (const auto& [reason, value] : dropped->items())
      c.dropped[reason] = d.count(reason.c_str()).value_or(0);
  }
  return c;
}

SourcesPage read_page(const json& doc) {
  const ObjectReader r(doc, "");
  SourcesPage p;
  const json& version = r.required("version");
  if (!version.is_number_integer()) wrong("version", "an integer", version);
  p.version = version.get<int64_t>();
  if (p.version != kSourcesPageVersion) {
    throw KeyError{fmt::format("version {} is not supported (this ffclock reads version {})", p.version,
                               kSourcesPageVersion)};
  }
  p.written_utc = r.string("written_utc").value_or("");
  if (const json* d = r.find("daemon")) {
    const ObjectReader dr(*d, "daemon");
    p.daemon = DaemonInfo{dr.integer("pid", 0, kMaxI64).value_or(0), dr.string("version").value_or(""),
                          dr.string("started_utc").value_or("")};
  }
  p.page = r.string("page").value_or("");
  p.selected = r.string("selected", true);
  p.step_generation = r.count("step_generation").value_or(0);
  p.leap = r.string("leap").value_or("none");
  const json& sources = r.required("sources");
  if (!sources.is_array()) wrong("sources", "an array", sources);
  for (size_t i = 0; i < sources.size(); ++i) p.sources.push_back(read_source(sources[i], i));
  if (const json* server = r.find("server"); server != nullptr && !server->is_null())
    p.server = read_server(*server);
  return p;
}

}  // namespace

core::Result<SourcesPage, SourcesPageError> parse_sources_page(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return core::Unexpected{SourcesPageError{false, fmt::format("not valid JSON (at byte {})", e.byte)}};
  }
  try {
    return read_page(doc);
  } catch (const KeyError& e) {
    return core::Unexpected{SourcesPageError{false, e.message}};
  }
}

core::Result<SourcesPage, SourcesPageError> load_sources_page(const std::string& path) {
  auto text = read_input_file(path, kMaxSourcesPageBytes);
  if (!text) {
    const bool missing = text.error().not_found;
    return core::Unexpected{SourcesPageError{
        missing, "sources page " + text.error().message + (missing ? " (is ffclockd running?)" : "")}};
  }
  auto page = parse_sources_page(*text);
  if (!page)
    return core::Unexpected{SourcesPageError{false, "sources page " + path + ": " + page.error().message}};
  return page;
}

}  // namespace ffclock::tool
