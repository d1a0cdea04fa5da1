// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// An IPv4 address and UDP port, in host byte order. The daemon only speaks IPv4 UDP (the
// clknetsim simulator supports nothing else), so this is the one peer type of the Net device.

#include <cstdint>
#include <string>

namespace ffclock::platform {

struct Ipv4Endpoint {
  uint32_t addr = 0;  // host order: 127.0.0.1 is 0x7F000001
  uint16_t port = 0;

  friend bool operator==(const Ipv4Endpoint&, const Ipv4Endpoint&) = default;

  static constexpr Ipv4Endpoint loopback(uint16_t port) { return {0x7F000001u, port}; }
  static constexpr Ipv4Endpoint any(uint16_t port) { return {0, port}; }
};

// "192.0.2.1:123".
[[nodiscard]] std::string to_string(const Ipv4Endpoint& e);

}  // namespace ffclock::platform
