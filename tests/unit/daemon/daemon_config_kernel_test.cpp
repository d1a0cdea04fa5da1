// SPDX-License-Identifier: BSD-2-Clause
// ffclockd's [kernel] table: off by default, every key read, and one error per mistake
// naming the key and the line.
#include <gtest/gtest.h>

#include <string>

#include "daemon/daemon_config.hpp"

namespace ffclock::daemon {
namespace {

core::Result<DaemonConfig, ConfigError> parse(const std::string& text) {
  return parse_daemon_config(text, "k.toml");
}

TEST(DaemonConfigKernel, TheDisciplineIsOffByDefault) {
  auto c = parse("");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->kernel.discipline);
  EXPECT_FALSE(c->kernel.rtc);
  EXPECT_EQ(c->kernel.step_threshold, Duration::milliseconds(128));
  auto empty_table = parse("[kernel]\n");
  ASSERT_TRUE(empty_table);
  EXPECT_FALSE(empty_table->kernel.discipline);
}

TEST(DaemonConfigKernel, EveryKeyIsRead) {
  auto c = parse("[kernel]\ndiscipline = true\nstep-threshold = \"0.5s\"\nrtc = true\n");
  ASSERT_TRUE(c) << describe(c.error());
  EXPECT_TRUE(c->kernel.discipline);
  EXPECT_TRUE(c->kernel.rtc);
  EXPECT_EQ(c->kernel.step_threshold, Duration::milliseconds(500));
  auto ms = parse("[kernel]\ndiscipline = true\nstep-threshold = \"20ms\"\n");
  ASSERT_TRUE(ms);
  EXPECT_EQ(ms->kernel.step_threshold, Duration::milliseconds(20));
}

struct KernelBad {
  const char* name;
  const char* text;
  const char* key;
  uint32_t line;
  const char* fragment;
};

class DaemonConfigKernelErrors : public ::testing::TestWithParam<KernelBad> {};

TEST_P(DaemonConfigKernelErrors, NameTheKeyAndTheLine) {
  const KernelBad& b = GetParam();
  auto c = parse(b.text);
  ASSERT_FALSE(c) << "accepted:\n" << b.text;
  EXPECT_EQ(c.error().key, b.key);
  EXPECT_EQ(c.error().line, b.line);
  EXPECT_NE(c.error().message.find(b.fragment), std::string::npos) << c.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DaemonConfigKernelErrors,
    ::testing::Values(KernelBad{"DisciplineType", "[kernel]\ndiscipline = \"yes\"\n", "kernel.discipline", 2,
                                "true or false"},
                      KernelBad{"ThresholdNoUnit", "[kernel]\n\nstep-threshold = \"0.5\"\n",
                                "kernel.step-threshold", 3, "unit"},
                      KernelBad{"ThresholdNegative", "[kernel]\nstep-threshold = \"-1s\"\n",
                                "kernel.step-threshold", 2, "0.5s"},
                      KernelBad{"ThresholdZero", "[kernel]\nstep-threshold = \"0s\"\n",
                                "kernel.step-threshold", 2, "above zero"},
                      KernelBad{"ThresholdNumber", "[kernel]\nstep-threshold = 0.5\n",
                                "kernel.step-threshold", 2, "must be a string"},
                      KernelBad{"RtcWithoutDiscipline", "[kernel]\nrtc = true\n", "kernel.rtc", 2,
                                "needs discipline = true"},
                      KernelBad{"UnknownKey", "[kernel]\ndiscipline = true\nslew = true\n", "kernel.slew", 3,
                                "unknown key"},
                      KernelBad{"NotATable", "kernel = true\n", "kernel", 1, "must be a table"}),
    [](const ::testing::TestParamInfo<KernelBad>& i) { return std::string(i.param.name); });

}  // namespace
}  // namespace ffclock::daemon
