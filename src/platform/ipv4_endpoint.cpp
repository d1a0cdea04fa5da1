// SPDX-License-Identifier: BSD-2-Clause
#include "platform/ipv4_endpoint.hpp"

namespace ffclock::platform {

std::string to_string(const Ipv4Endpoint& e) {
  std::string s;
  for (int shift = 24; shift >= 0; shift -= 8) {
    s += std::to_string((e.addr >> shift) & 0xFFu);
    s += shift == 0 ? ':' : '.';
  }
  s += std::to_string(e.port);
  return s;
}

}  // namespace ffclock::platform
