// SPDX-License-Identifier: BSD-2-Clause
// Opening a reference clock device for --eval-reference: a missing path or a file that is
// not a clock is an error naming the call, never a crash. (Reads only; nothing is set.)
#include "platform/reference_clock.hpp"

#include <gtest/gtest.h>

#include <cerrno>

namespace ffclock::platform {
namespace {

TEST(PtpReferenceClock, AMissingDeviceIsAnOpenError) {
  auto c = PtpReferenceClock::open("/nonexistent/ptp9");
  ASSERT_FALSE(c);
  EXPECT_STREQ(c.error().op, "open");
  EXPECT_EQ(c.error().code, ENOENT);
}

TEST(PtpReferenceClock, AFileThatIsNotAClockIsRefused) {
  auto c = PtpReferenceClock::open("/dev/null");
  ASSERT_FALSE(c);
  EXPECT_STREQ(c.error().op, "clock_gettime");
}

}  // namespace
}  // namespace ffclock::platform
