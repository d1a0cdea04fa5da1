// SPDX-License-Identifier: BSD-2-Clause
// Kiss-o'-death code table and the action each code asks of a client.
#include "core/ntp/kiss_code.hpp"

#include <gtest/gtest.h>

using namespace ffclock::core;

namespace {
constexpr uint32_t refid(const char (&s)[5]) {
  return (uint32_t{static_cast<uint8_t>(s[0])} << 24) | (uint32_t{static_cast<uint8_t>(s[1])} << 16) |
         (uint32_t{static_cast<uint8_t>(s[2])} << 8) | uint32_t{static_cast<uint8_t>(s[3])};
}
}  // namespace

TEST(KissCode, KnownCodes) {
  struct Case {
    const char (&text)[5];
    KissCode code;
    KissAction action;
  };
  const Case cases[] = {
      {"RATE", KissCode::Rate, KissAction::ReducePollRate}, {"DENY", KissCode::Deny, KissAction::StopPolling},
      {"RSTR", KissCode::Rstr, KissAction::StopPolling},    {"INIT", KissCode::Init, KissAction::Discard},
      {"STEP", KissCode::Step, KissAction::Discard},        {"ACST", KissCode::Acst, KissAction::Discard},
      {"AUTH", KissCode::Auth, KissAction::Discard},        {"AUTO", KissCode::Auto, KissAction::Discard},
      {"BCST", KissCode::Bcst, KissAction::Discard},        {"CRYP", KissCode::Cryp, KissAction::Discard},
      {"DROP", KissCode::Drop, KissAction::Discard},        {"MCST", KissCode::Mcst, KissAction::Discard},
      {"NKEY", KissCode::Nkey, KissAction::Discard},        {"NTSN", KissCode::Ntsn, KissAction::Discard},
      {"RMOT", KissCode::Rmot, KissAction::Discard},
  };
  for (const Case& c : cases) {
    const Kiss k = kiss_from_refid(refid(c.text));
    EXPECT_EQ(k.code, c.code) << c.text;
    EXPECT_EQ(k.text(), std::string_view(c.text, 4));
    EXPECT_EQ(kiss_action(k.code), c.action) << c.text;
  }
}

TEST(KissCode, UnknownCodesKeepTheirBytes) {
  const Kiss lower = kiss_from_refid(refid("rate"));  // codes are case-sensitive
  EXPECT_EQ(lower.code, KissCode::Unknown);
  EXPECT_EQ(lower.text(), "rate");
  EXPECT_EQ(kiss_action(lower.code), KissAction::Discard);

  const Kiss binary = kiss_from_refid(0x00FF7F80);
  EXPECT_EQ(binary.code, KissCode::Unknown);
  EXPECT_EQ(binary.ascii[0], '\x00');
  EXPECT_EQ(binary.ascii[1], '\xFF');
  EXPECT_EQ(binary.ascii[2], '\x7F');
  EXPECT_EQ(binary.ascii[3], '\x80');
}

static_assert(kiss_from_refid(0x52415445).code == KissCode::Rate);
