// SPDX-License-Identifier: BSD-2-Clause
#include "core/server/access_list.hpp"

#include <charconv>

namespace ffclock::core::server {

namespace {

uint32_t mask_of(uint8_t prefix) { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }

std::optional<uint32_t> parse_number(std::string_view s, uint32_t max) {
  if (s.empty() || s.size() > 3) return std::nullopt;
  uint32_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}

}  // namespace

bool Cidr::contains(uint32_t address) const { return (address & mask_of(prefix)) == network; }

std::optional<Cidr> parse_cidr(std::string_view text) {
  uint8_t prefix = 32;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    const auto p = parse_number(text.substr(slash + 1), 32);
    if (!p) return std::nullopt;
    prefix = static_cast<uint8_t>(*p);
    text = text.substr(0, slash);
  }
  uint32_t addr = 0;
  for (int i = 0; i < 4; ++i) {
    const auto dot = text.find('.');
    if ((i < 3) == (dot == std::string_view::npos)) return std::nullopt;
    const auto octet = parse_number(text.substr(0, dot), 255);
    if (!octet) return std::nullopt;
    addr = (addr << 8) | *octet;
    text = i < 3 ? text.substr(dot + 1) : std::string_view{};
  }
  return Cidr{addr & mask_of(prefix), prefix};
}

bool AccessList::permits(uint32_t address) const {
  for (const Cidr& c : deny_) {
    if (c.contains(address)) return false;
  }
  if (allow_.empty()) return true;
  for (const Cidr& c : allow_) {
    if (c.contains(address)) return true;
  }
  return false;
}

}  // namespace ffclock::core::server
