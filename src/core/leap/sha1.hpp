// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// SHA-1 (FIPS 180-4), only to check the `#h` integrity line of leap-seconds.list.
// Not for security: the hash detects a truncated or hand-edited file, nothing more.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ffclock::core {

// The five 32-bit words H0..H4, the form in which leap-seconds.list prints the digest.
using Sha1Digest = std::array<uint32_t, 5>;

// Incremental SHA-1: update() any number of times, then finish() once.
class Sha1 {
 public:
  void update(std::string_view data);
  [[nodiscard]] Sha1Digest finish();

 private:
  void compress(const uint8_t* block);

  Sha1Digest h_{0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  std::array<uint8_t, 64> block_{};
  size_t block_len_ = 0;
  uint64_t total_bytes_ = 0;
};

[[nodiscard]] Sha1Digest sha1(std::string_view data);

}  // namespace ffclock::core
