// SPDX-License-Identifier: BSD-2-Clause
// SHA-1 compression and padding, straight from FIPS 180-4 §6.1.
#include "core/leap/sha1.hpp"

namespace ffclock::core {
namespace {
constexpr uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
}  // namespace

void Sha1::compress(const uint8_t* block) {
  std::array<uint32_t, 80> w{};
  for (size_t t = 0; t < 16; ++t) {
    w[t] = (uint32_t{block[4 * t]} << 24) | (uint32_t{block[4 * t + 1]} << 16) |
           (uint32_t{block[4 * t + 2]} << 8) | uint32_t{block[4 * t + 3]};
  }
  for (size_t t = 16; t < 80; ++t) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);

  uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4];
  for (size_t t = 0; t < 80; ++t) {
    uint32_t f = 0;
    uint32_t k = 0;
    if (t < 20) {
      f = (b & c) | (~b & d);
      k = 0x5A827999u;
    } else if (t < 40) {
      f = b ^ c ^ d;
      k = 0x6ED9EBA1u;
    } else if (t < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8F1BBCDCu;
    } else {
      f = b ^ c ^ d;
      k = 0xCA62C1D6u;
    }
    const uint32_t temp = rotl(a, 5) + f + e + k + w[t];
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = temp;
  }
  h_[0] += a;
  h_[1] += b;
  h_[2] += c;
  h_[3] += d;
  h_[4] += e;
}

void Sha1::update(std::string_view data) {
  total_bytes_ += data.size();
  for (char ch : data) {
    block_[block_len_++] = static_cast<uint8_t>(ch);
    if (block_len_ == block_.size()) {
      compress(block_.data());
      block_len_ = 0;
    }
  }
}

Sha1Digest Sha1::finish() {
  const uint64_t bit_len = total_bytes_ * 8;
  // 0x80, zeros to 56 mod 64, then the message length in bits, big-endian.
  block_[block_len_++] = 0x80;
  if (block_len_ > 56) {
    while (block_len_ < 64) block_[block_len_++] = 0;
    compress(block_.data());
    block_len_ = 0;
  }
  while (block_len_ < 56) block_[block_len_++] = 0;
  for (int i = 7; i >= 0; --i) block_[block_len_++] = static_cast<uint8_t>(bit_len >> (8 * i));
  compress(block_.data());
  block_len_ = 0;
  return h_;
}

Sha1Digest sha1(std::string_view data) {
  Sha1 s;
  s.update(data);
  return s.finish();
}

}  // namespace ffclock::core
