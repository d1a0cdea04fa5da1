// SPDX-License-Identifier: BSD-2-Clause
// SHA-1 against the FIPS 180 / RFC 3174 test vectors, one-shot and fed in pieces.
#include "core/leap/sha1.hpp"

#include <gtest/gtest.h>

#include <string>

using ffclock::core::Sha1;
using ffclock::core::sha1;
using ffclock::core::Sha1Digest;

TEST(Sha1, Abc) {
  EXPECT_EQ(sha1("abc"), (Sha1Digest{0xa9993e36, 0x4706816a, 0xba3e2571, 0x7850c26c, 0x9cd0d89d}));
}

TEST(Sha1, EmptyString) {
  EXPECT_EQ(sha1(""), (Sha1Digest{0xda39a3ee, 0x5e6b4b0d, 0x3255bfef, 0x95601890, 0xafd80709}));
}

TEST(Sha1, TwoBlockMessage) {
  // 56 bytes: the padding spills into a second block.
  EXPECT_EQ(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            (Sha1Digest{0x84983e44, 0x1c3bd26e, 0xbaae4aa1, 0xf95129e5, 0xe54670f1}));
}

TEST(Sha1, MillionAsInOddChunks) {
  const Sha1Digest expected{0x34aa973c, 0xd4c4daa4, 0xf61eeb2b, 0xdbad2731, 0x6534016f};
  const std::string chunk(997, 'a');  // not a multiple of the 64-byte block
  Sha1 s;
  size_t left = 1'000'000;
  while (left > 0) {
    const size_t n = std::min(left, chunk.size());
    s.update(std::string_view(chunk).substr(0, n));
    left -= n;
  }
  EXPECT_EQ(s.finish(), expected);
  EXPECT_EQ(sha1(std::string(1'000'000, 'a')), expected);
}

TEST(Sha1, PieceBoundariesDoNotMatter) {
  const std::string msg =
      "The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over the lazy dog";
  const Sha1Digest whole = sha1(msg);
  for (size_t cut = 0; cut <= msg.size(); cut += 7) {
    Sha1 s;
    s.update(std::string_view(msg).substr(0, cut));
    s.update(std::string_view(msg).substr(cut));
    EXPECT_EQ(s.finish(), whole) << cut;
  }
  EXPECT_NE(sha1(msg), sha1(msg.substr(1)));
}
