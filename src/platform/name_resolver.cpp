// SPDX-License-Identifier: BSD-2-Clause
#include "platform/name_resolver.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <charconv>
#include <cstring>

namespace ffclock::platform {

std::optional<uint32_t> parse_ipv4(std::string_view text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  char buf[16] = {};
  std::memcpy(buf, text.data(), text.size());
  in_addr a{};
  if (inet_pton(AF_INET, buf, &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

std::optional<HostPort> parse_host_port(std::string_view text) {
  HostPort hp;
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    hp.host = std::string(text);
  } else {
    if (text.find(':') != colon) return std::nullopt;  // IPv6 literals are not supported
    hp.host = std::string(text.substr(0, colon));
    const std::string_view p = text.substr(colon + 1);
    unsigned v = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
    if (p.empty() || ec != std::errc{} || end != p.data() + p.size() || v == 0 || v > 65535) {
      return std::nullopt;
    }
    hp.port = static_cast<uint16_t>(v);
  }
  if (hp.host.empty()) return std::nullopt;
  for (char c : hp.host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_';
    if (!ok) return std::nullopt;
  }
  return hp;
}

core::Result<std::vector<Ipv4Endpoint>, std::string> SystemNameResolver::resolve(const HostPort& hp) {
  if (auto a = parse_ipv4(hp.host)) return std::vector<Ipv4Endpoint>{{*a, hp.port}};
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  const int rc = getaddrinfo(hp.host.c_str(), nullptr, &hints, &res);
  if (rc != 0) return core::Unexpected{std::string(gai_strerror(rc))};
  std::vector<Ipv4Endpoint> out;
  for (addrinfo* p = res; p != nullptr; p = p->ai_next) {
    if (p->ai_family != AF_INET || p->ai_addrlen < sizeof(sockaddr_in)) continue;
    sockaddr_in sin{};
    std::memcpy(&sin, p->ai_addr, sizeof sin);
    const Ipv4Endpoint e{ntohl(sin.sin_addr.s_addr), hp.port};
    bool seen = false;
    for (const auto& o : out) seen = seen || o == e;
    if (!seen) out.push_back(e);
  }
  freeaddrinfo(res);
  if (out.empty()) return core::Unexpected{std::string("no IPv4 address")};
  return out;
}

core::Result<std::vector<Ipv4Endpoint>, std::string> FakeNameResolver::resolve(const HostPort& hp) {
  ++calls;
  if (auto a = parse_ipv4(hp.host)) return std::vector<Ipv4Endpoint>{{*a, hp.port}};
  auto it = names.find(hp.host);
  if (it == names.end() || it->second.empty()) return core::Unexpected{std::string("unknown name")};
  std::vector<Ipv4Endpoint> out;
  for (uint32_t a : it->second) out.push_back({a, hp.port});
  return out;
}

}  // namespace ffclock::platform
