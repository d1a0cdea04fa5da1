// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Who may ask the NTP server: IPv4 CIDR allow and deny rules. With no allow rule everybody
// is allowed; a deny rule always wins (chrony's `allow` / `deny` without the ordering).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ffclock::core::server {

struct Cidr {
  uint32_t network = 0;  // host order, host bits cleared
  uint8_t prefix = 0;    // 0..32
  [[nodiscard]] bool contains(uint32_t address) const;
};

// "10.0.0.0/8", "192.0.2.1" (a /32), "0.0.0.0/0". nullopt for anything else.
[[nodiscard]] std::optional<Cidr> parse_cidr(std::string_view text);

class AccessList {
 public:
  void allow(Cidr c) { allow_.push_back(c); }
  void deny(Cidr c) { deny_.push_back(c); }
  [[nodiscard]] bool permits(uint32_t address) const;

 private:
  std::vector<Cidr> allow_;
  std::vector<Cidr> deny_;
};

}  // namespace ffclock::core::server
