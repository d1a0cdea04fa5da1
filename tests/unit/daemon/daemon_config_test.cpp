// SPDX-License-Identifier: BSD-2-Clause
// ffclockd's configuration file: every key, the defaults, and one error per kind of mistake,
// each naming the key and the line.
#include "daemon/daemon_config.hpp"

#include <gtest/gtest.h>

#include <string>

#include "ffclock/page.h"

namespace ffclock::daemon {
namespace {

using core::engine::SourceMode;

DaemonConfig parse_ok(const std::string& text) {
  auto c = parse_daemon_config(text, "test.toml");
  EXPECT_TRUE(c) << (c ? "" : describe(c.error()));
  return c ? *c : DaemonConfig{};
}

ConfigError parse_bad(const std::string& text) {
  auto c = parse_daemon_config(text, "test.toml");
  EXPECT_FALSE(c) << "accepted:\n" << text;
  return c ? ConfigError{} : c.error();
}

TEST(DaemonConfig, AnEmptyFileGivesTheDefaultsAndOneSystemSource) {
  const DaemonConfig c = parse_ok("");
  EXPECT_EQ(c.counter, "auto");
  EXPECT_EQ(c.page, "/run/ffclock/page");
  EXPECT_EQ(c.sources_page, "/run/ffclock/sources");
  EXPECT_EQ(c.leap_file, "/usr/share/zoneinfo/leap-seconds.list");
  EXPECT_EQ(c.log_level, core::engine::LogLevel::Info);
  ASSERT_EQ(c.sources.size(), 1u);
  EXPECT_EQ(c.sources[0].mode, SourceMode::System);
  EXPECT_EQ(source_name(c.sources[0]), "system");
}

TEST(DaemonConfig, EveryKeyIsRead) {
  const DaemonConfig c = parse_ok(R"(
[clock]
counter = "monotonic_raw"
page = "/tmp/x/page"
sources-page = "/tmp/x/sources"
leap-file = "/tmp/leap.list"

[log]
level = "debug"

[[source]]
mode = "server"
address = "127.0.0.1:11123"
minpoll = 0
maxpoll = 2
iburst = false

[[source]]
mode = "pool"
address = "pool.example.org"

[[source]]
mode = "system"
minpoll = -2
)");
  EXPECT_EQ(c.counter, "monotonic_raw");
  EXPECT_EQ(c.page, "/tmp/x/page");
  EXPECT_EQ(c.sources_page, "/tmp/x/sources");
  EXPECT_EQ(c.leap_file, "/tmp/leap.list");
  EXPECT_EQ(c.log_level, core::engine::LogLevel::Debug);
  ASSERT_EQ(c.sources.size(), 3u);
  EXPECT_EQ(c.sources[0].mode, SourceMode::Server);
  EXPECT_EQ(c.sources[0].address, "127.0.0.1:11123");
  ASSERT_TRUE(c.sources[0].host_port);
  EXPECT_EQ(c.sources[0].host_port->host, "127.0.0.1");
  EXPECT_EQ(c.sources[0].host_port->port, 11123);
  EXPECT_EQ(c.sources[0].minpoll, 0);
  EXPECT_EQ(c.sources[0].maxpoll, 2);
  EXPECT_FALSE(c.sources[0].iburst);
  EXPECT_EQ(c.sources[1].mode, SourceMode::Pool);
  EXPECT_EQ(c.sources[1].host_port->port, 123);  // the default NTP port
  EXPECT_EQ(c.sources[1].minpoll, 4);
  EXPECT_EQ(c.sources[1].maxpoll, 6);
  EXPECT_TRUE(c.sources[1].iburst);
  EXPECT_EQ(c.sources[2].mode, SourceMode::System);
  EXPECT_EQ(c.sources[2].minpoll, -2);
}

TEST(DaemonConfig, AnEmptyLeapFileMeansNone) {
  EXPECT_EQ(parse_ok("[clock]\nleap-file = \"\"\n").leap_file, "");
}

struct BadCase {
  const char* name;
  const char* text;
  const char* key;
  uint32_t line;
  const char* fragment;
};

class DaemonConfigErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(DaemonConfigErrors, NameTheKeyAndTheLine) {
  const BadCase& b = GetParam();
  const ConfigError e = parse_bad(b.text);
  EXPECT_EQ(e.file, "test.toml");
  EXPECT_EQ(e.key, b.key);
  EXPECT_EQ(e.line, b.line);
  EXPECT_NE(e.message.find(b.fragment), std::string::npos) << e.message;
  const std::string line = describe(e);
  EXPECT_NE(line.find("test.toml:" + std::to_string(b.line)), std::string::npos) << line;
  if (*b.key != '\0') {
    EXPECT_NE(line.find(std::string("'") + b.key + "'"), std::string::npos) << line;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DaemonConfigErrors,
    ::testing::Values(
        BadCase{"Syntax", "[clock]\npage = \"/x\n", "", 2, "TOML syntax"},
        BadCase{"WrongTypePage", "[clock]\npage = 5\n[[source]]\nmode = \"bogus\"\n", "clock.page", 2,
                "must be a string"},
        BadCase{"UnknownMode", "[[source]]\nmode = \"bogus\"\naddress = \"a\"\n", "source[0].mode", 2,
                "unknown mode"},
        BadCase{"UnknownClockKey", "[clock]\npage = \"/x\"\npages = \"/y\"\n", "clock.pages", 3,
                "unknown key"},
        BadCase{"UnknownTable", "[clocks]\npage = \"/x\"\n", "clocks", 1, "unknown table"},
        BadCase{"UnknownTopKey", "counter = \"tsc\"\n", "counter", 1, "unknown key"},
        BadCase{"UnknownSourceKey", "[[source]]\nmode = \"server\"\naddress = \"a\"\nprefer = true\n",
                "source[0].prefer", 4, "unknown key"},
        BadCase{"BadCounter", "[clock]\n\ncounter = \"hpet\"\n", "clock.counter", 3, "unknown counter"},
        BadCase{"EmptyPage", "[clock]\npage = \"\"\n", "clock.page", 2, "must not be empty"},
        BadCase{"ClockNotATable", "clock = 1\n", "clock", 1, "must be a table"},
        BadCase{"SourceNotAnArrayOfTables", "[source]\nmode = \"server\"\n", "source", 1, "[[source]]"},
        BadCase{"MissingMode", "[[source]]\naddress = \"a\"\n", "source[0].mode", 1, "missing"},
        BadCase{"MissingAddress", "[[source]]\nmode = \"server\"\n", "source[0].address", 1, "missing"},
        BadCase{"SystemWithAddress", "[[source]]\nmode = \"system\"\naddress = \"1.2.3.4\"\n",
                "source[0].address", 3, "no address"},
        BadCase{"BadPort", "[[source]]\nmode = \"server\"\naddress = \"1.2.3.4:99999\"\n",
                "source[0].address", 3, "not host[:port]"},
        BadCase{"EmptyHost", "[[source]]\nmode = \"server\"\naddress = \":123\"\n", "source[0].address", 3,
                "not host[:port]"},
        BadCase{"MinpollType", "[[source]]\nmode = \"system\"\nminpoll = \"4\"\n", "source[0].minpoll", 3,
                "must be an integer"},
        BadCase{"MinpollRange", "[[source]]\nmode = \"system\"\nminpoll = -5\n", "source[0].minpoll", 3,
                "out of range"},
        BadCase{"MaxpollRange", "[[source]]\nmode = \"system\"\nmaxpoll = 18\n", "source[0].maxpoll", 3,
                "out of range"},
        BadCase{"MinAboveMax", "[[source]]\nmode = \"system\"\nminpoll = 6\nmaxpoll = 5\n",
                "source[0].maxpoll", 4, "above maxpoll"},
        BadCase{"MinAboveDefaultMax", "[[source]]\nmode = \"system\"\nminpoll = 12\n", "source[0].minpoll", 3,
                "above maxpoll"},
        BadCase{"IburstType", "[[source]]\nmode = \"system\"\niburst = 1\n", "source[0].iburst", 3,
                "true or false"},
        BadCase{"SecondSource",
                "[[source]]\nmode = \"server\"\naddress = \"a\"\n[[source]]\nmode = \"pool\"\n",
                "source[1].address", 4, "missing"},
        BadCase{"TwoSystemSources", "[[source]]\nmode = \"system\"\n[[source]]\nmode = \"system\"\n",
                "source[1].mode", 3, "second system source"},
        BadCase{"BadLogLevel", "[log]\nlevel = \"loud\"\n", "log.level", 2, "unknown level"},
        BadCase{"VmclockWithoutDevice", "[[source]]\nmode = \"vmclock\"\n", "source[0].device", 1,
                "[vmclock] device"},
        BadCase{"VmclockDeviceMismatch",
                "[vmclock]\ndevice = \"/dev/vmclock0\"\n[[source]]\nmode = \"vmclock\"\ndevice = \"/x\"\n",
                "source[0].device", 3, "is not [vmclock] device"},
        BadCase{"DeviceOnAServer", "[[source]]\nmode = \"server\"\naddress = \"a\"\ndevice = \"/x\"\n",
                "source[0].device", 4, "only a vmclock source"},
        BadCase{"VmclockWithAddress", "[[source]]\nmode = \"vmclock\"\ndevice = \"/x\"\naddress = \"a\"\n",
                "source[0].address", 4, "a vmclock source has no address"},
        BadCase{"VmclockSlowPoll", "[[source]]\nmode = \"vmclock\"\ndevice = \"/x\"\nminpoll = 2\n",
                "source[0].minpoll", 4, "at least once a second"},
        BadCase{"TwoVmclockSources",
                "[[source]]\nmode = \"vmclock\"\ndevice = \"/x\"\n[[source]]\nmode = \"vmclock\"\n",
                "source[1].mode", 4, "second vmclock source"}),
    [](const ::testing::TestParamInfo<BadCase>& i) { return std::string(i.param.name); });

TEST(DaemonConfig, AMissingFileIsAnErrorNamingIt) {
  auto c = load_daemon_config("/nonexistent/ffclockd.toml");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().file, "/nonexistent/ffclockd.toml");
  EXPECT_EQ(describe(c.error()), "/nonexistent/ffclockd.toml: not found");
}

TEST(DaemonConfig, MapsToTheEngineConfigWithTheCountersRate) {
  const DaemonConfig c = parse_ok(
      "[[source]]\nmode = \"server\"\naddress = \"10.0.0.1\"\nminpoll = 3\nmaxpoll = 7\n"
      "[[source]]\nmode = \"system\"\n");
  platform::CounterInfo info{"tsc", platform::CounterKind::X86Tsc, 2'500'000'000, true, ""};
  const auto e = to_engine_config(c, info, UtcTime::from_unix(1'800'000'000), 42);
  ASSERT_EQ(e.sources.size(), 2u);
  EXPECT_EQ(e.sources[0].name, "10.0.0.1");
  EXPECT_EQ(e.sources[0].mode, SourceMode::Server);
  EXPECT_EQ(e.sources[0].minpoll, 3);
  EXPECT_EQ(e.sources[0].maxpoll, 7);
  EXPECT_EQ(e.sources[1].name, "system");
  EXPECT_EQ(e.sources[1].mode, SourceMode::System);
  EXPECT_EQ(e.nominal_hz, 2'500'000'000u);
  EXPECT_EQ(e.counter_id, 1u);  // FFCLOCK_COUNTER_X86_TSC
  EXPECT_NEAR(static_cast<double>(e.estimator.nominal_period_s), 0.4e-9, 1e-18);
  EXPECT_EQ(e.start_hint, UtcTime::from_unix(1'800'000'000));
  EXPECT_EQ(e.rng_seed, 42u);
  EXPECT_EQ(e.burst_spacing, Duration::seconds(2));  // minpoll 3: a quarter poll is 2 s
}

TEST(DaemonConfig, AVmclockSourceReadsTheDeviceEverySecond) {
  const DaemonConfig c = parse_ok(
      "[vmclock]\ndevice = \"/dev/vmclock0\"\n[[source]]\nmode = \"vmclock\"\n"
      "[[source]]\nmode = \"server\"\naddress = \"10.0.0.1\"\n");
  ASSERT_EQ(c.sources.size(), 2u);
  EXPECT_EQ(c.sources[0].mode, SourceMode::Vmclock);
  EXPECT_EQ(source_name(c.sources[0]), "vmclock");
  EXPECT_STREQ(to_string(c.sources[0].mode), "vmclock");
  EXPECT_EQ(c.sources[0].minpoll, 0);
  EXPECT_EQ(c.sources[0].maxpoll, 0);
  platform::CounterInfo info{"tsc", platform::CounterKind::X86Tsc, 1'000'000'000, true, ""};
  const core::engine::EngineConfig e = to_engine_config(c, info, UtcTime{}, 1);
  EXPECT_EQ(e.sources[0].mode, SourceMode::Vmclock);
  EXPECT_EQ(e.counter_id, FFCLOCK_COUNTER_X86_TSC);
  // Its 1 s poll does not shorten the servers' start bursts.
  EXPECT_EQ(e.burst_spacing, core::engine::EngineConfig{}.burst_spacing);
  // The source's own device sets [vmclock] device; a faster poll is allowed.
  const DaemonConfig own = parse_ok("[[source]]\nmode = \"vmclock\"\ndevice = \"/tmp/page\"\nminpoll = -2\n");
  EXPECT_EQ(own.vmclock_device, "/tmp/page");
  EXPECT_EQ(own.sources[0].minpoll, -2);
}

TEST(DaemonConfig, ALowMinpollShortensTheStartBurstToAQuarterPoll) {
  platform::CounterInfo info{"monotonic_raw", platform::CounterKind::MonotonicRaw, 1'000'000'000, true, ""};
  const DaemonConfig fast = parse_ok(
      "[[source]]\nmode = \"server\"\naddress = \"10.0.0.1\"\nminpoll = 0\nmaxpoll = 2\n"
      "[[source]]\nmode = \"server\"\naddress = \"10.0.0.2\"\n");
  EXPECT_EQ(to_engine_config(fast, info, UtcTime{}, 1).burst_spacing, Duration::milliseconds(250));
  const DaemonConfig defaults = parse_ok("[[source]]\nmode = \"server\"\naddress = \"10.0.0.1\"\n");
  EXPECT_EQ(to_engine_config(defaults, info, UtcTime{}, 1).burst_spacing,
            core::engine::EngineConfig{}.burst_spacing);
  // The system source has its own spacing; its minpoll does not shorten the servers' bursts.
  const DaemonConfig sys = parse_ok("[[source]]\nmode = \"system\"\nminpoll = -4\n");
  EXPECT_EQ(to_engine_config(sys, info, UtcTime{}, 1).burst_spacing,
            core::engine::EngineConfig{}.burst_spacing);
}

TEST(HostPort, ParsesHostsPortsAndRefusesJunk) {
  EXPECT_EQ(platform::parse_host_port("ntp.example.org"), (platform::HostPort{"ntp.example.org", 123}));
  EXPECT_EQ(platform::parse_host_port("127.0.0.1:11123"), (platform::HostPort{"127.0.0.1", 11123}));
  EXPECT_FALSE(platform::parse_host_port(""));
  EXPECT_FALSE(platform::parse_host_port("host:"));
  EXPECT_FALSE(platform::parse_host_port("host:0"));
  EXPECT_FALSE(platform::parse_host_port("host:12x"));
  EXPECT_FALSE(platform::parse_host_port("::1"));
  EXPECT_FALSE(platform::parse_host_port("a b"));
  EXPECT_EQ(platform::parse_ipv4("192.0.2.1"), 0xC0000201u);
  EXPECT_FALSE(platform::parse_ipv4("192.0.2"));
}

}  // namespace
}  // namespace ffclock::daemon
