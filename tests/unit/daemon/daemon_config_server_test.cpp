// SPDX-License-Identifier: BSD-2-Clause
// Configuration of the server side, the host vmclock device and the state file: every key,
// and each bad value refused with its key and line.
#include <gtest/gtest.h>

#include "daemon/daemon_config.hpp"

using namespace ffclock;
using namespace ffclock::daemon;

namespace {

TEST(DaemonConfigServer, ServersVmclockAndStateFile) {
  const auto c = parse_daemon_config(R"([clock]
state-file = "/tmp/x/state"
[vmclock]
device = "/dev/vmclock0"
[[server]]
listen = "127.0.0.1:11124"
threads = 3
[[server]]
listen = "0.0.0.0:123"
ratelimit = false
allow = ["10.0.0.0/8", "192.0.2.7"]
deny = ["10.9.0.0/16"]
io = "simple"
)",
                                     "t.toml");
  ASSERT_TRUE(c.has_value()) << describe(c.error());
  EXPECT_EQ(c->state_file, "/tmp/x/state");
  EXPECT_EQ(c->vmclock_device, "/dev/vmclock0");
  ASSERT_EQ(c->servers.size(), 2u);
  EXPECT_EQ(c->servers[0].listen, (platform::Ipv4Endpoint{0x7F000001u, 11124}));
  EXPECT_TRUE(c->servers[0].ratelimit);
  EXPECT_TRUE(c->servers[0].batched);
  EXPECT_EQ(c->servers[0].threads, 3);
  EXPECT_EQ(c->servers[1].threads, 1);  // the default: the daemon thread alone
  EXPECT_EQ(c->servers[1].listen, (platform::Ipv4Endpoint{0, 123}));
  EXPECT_FALSE(c->servers[1].ratelimit);
  EXPECT_FALSE(c->servers[1].batched);
  ASSERT_EQ(c->servers[1].allow.size(), 2u);
  EXPECT_EQ(c->servers[1].allow[1].prefix, 32);
  ASSERT_EQ(c->servers[1].deny.size(), 1u);
}

TEST(DaemonConfigServer, Defaults) {
  const auto c = parse_daemon_config("", "t.toml");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->state_file, "/var/lib/ffclock/state");
  EXPECT_TRUE(c->vmclock_device.empty());
  EXPECT_TRUE(c->servers.empty());
}

TEST(DaemonConfigServer, BadValuesNameKeyAndLine) {
  struct Case {
    const char* text;
    const char* key;
    uint32_t line;
  };
  for (const Case& k :
       {Case{"[[server]]\nratelimit = true\n", "server[0].listen", 1},
        Case{"[[server]]\nlisten = \"localhost:123\"\n", "server[0].listen", 2},
        Case{"[[server]]\nlisten = \"127.0.0.1:0\"\n", "server[0].listen", 2},
        Case{"[[server]]\nlisten = \"127.0.0.1:1\"\nallow = [\"10.0.0.0/33\"]\n", "server[0].allow", 3},
        Case{"[[server]]\nlisten = \"127.0.0.1:1\"\nio = \"fast\"\n", "server[0].io", 3},
        Case{"[[server]]\nlisten = \"127.0.0.1:1\"\nport = 5\n", "server[0].port", 3},
        Case{"[[server]]\nlisten = \"127.0.0.1:1\"\nthreads = 0\n", "server[0].threads", 3},
        Case{"[[server]]\nlisten = \"127.0.0.1:1\"\nthreads = 65\n", "server[0].threads", 3},
        Case{"[[server]]\nlisten = \"127.0.0.1:1\"\nthreads = \"2\"\n", "server[0].threads", 3},
        // Serving threads are not simulation-compatible: not with the plain I/O.
        Case{"[[server]]\nlisten = \"127.0.0.1:1\"\nio = \"simple\"\nthreads = 2\n", "server[0].threads", 4},
        Case{"[vmclock]\ndevice = \"\"\n", "vmclock.device", 2},
        Case{"[vmclock]\npath = \"/dev/x\"\n", "vmclock.path", 2}, Case{"server = 5\n", "server", 1}}) {
    const auto c = parse_daemon_config(k.text, "t.toml");
    ASSERT_FALSE(c.has_value()) << k.text;
    EXPECT_EQ(c.error().key, k.key) << k.text;
    EXPECT_EQ(c.error().line, k.line) << k.text;
  }
}

}  // namespace
