// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Turning a configured "host[:port]" into an IPv4 endpoint. A numeric address never touches
// the resolver (the clknetsim simulator has no DNS); a name goes through getaddrinfo, which
// blocks: the daemon resolves at start and when a source has gone unreachable, not on a hot
// path. FakeNameResolver serves tests.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "platform/ipv4_endpoint.hpp"

namespace ffclock::platform {

inline constexpr uint16_t kNtpPort = 123;

struct HostPort {
  std::string host;
  uint16_t port = kNtpPort;
  friend bool operator==(const HostPort&, const HostPort&) = default;
};

// "host", "host:port", "1.2.3.4:123"; nothing for an empty host or a bad port.
[[nodiscard]] std::optional<HostPort> parse_host_port(std::string_view text);
// "1.2.3.4" as an address (host order), or nothing.
[[nodiscard]] std::optional<uint32_t> parse_ipv4(std::string_view text);

class NameResolver {
 public:
  virtual ~NameResolver() = default;
  // Every IPv4 address of `host` (port filled in), or a one-line reason.
  [[nodiscard]] virtual core::Result<std::vector<Ipv4Endpoint>, std::string> resolve(const HostPort& hp) = 0;
};

class SystemNameResolver final : public NameResolver {
 public:
  core::Result<std::vector<Ipv4Endpoint>, std::string> resolve(const HostPort& hp) override;
};

// Numeric addresses as the real one; names from the table the test fills.
class FakeNameResolver final : public NameResolver {
 public:
  core::Result<std::vector<Ipv4Endpoint>, std::string> resolve(const HostPort& hp) override;
  std::map<std::string, std::vector<uint32_t>> names;
  int calls = 0;
};

}  // namespace ffclock::platform
