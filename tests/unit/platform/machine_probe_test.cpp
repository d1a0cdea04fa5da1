// SPDX-License-Identifier: BSD-2-Clause
// probe_machine(): every known counter listed, the auto choice agrees with the policy, the
// vmclock path is honoured, and read costs come with their ratio to CLOCK_REALTIME.
#include "platform/machine_probe.hpp"

#include <gtest/gtest.h>

#include "temp_file.hpp"

using namespace ffclock::platform;
using ffclock::test::TempFile;

namespace {
ProbeOptions quick() {
  ProbeOptions o;
  o.counter.calibration.interval_ns = 10'000'000;
  o.measure_read_costs = false;
  return o;
}
}  // namespace

TEST(MachineProbe, ListsEveryKnownCounterOnce) {
  const MachineProbe p = probe_machine(quick());
  ASSERT_EQ(p.counters.size(), 3u);
  int available = 0;
  for (const auto& c : p.counters) {
    EXPECT_EQ(c.name, counter_kind_name(c.kind));
    if (c.available) {
      ++available;
      EXPECT_EQ(c.facts.info.kind, c.kind);
    } else {
      EXPECT_FALSE(c.unavailable_reason.empty()) << c.name;
    }
  }
  EXPECT_EQ(available, static_cast<int>(compiled_counter_kinds().size()));
  EXPECT_EQ(p.architecture, build_architecture());
  EXPECT_EQ(p.auto_choice.kind, choose_counter(gather_counter_candidates(quick().counter)).kind);
  EXPECT_TRUE(p.read_costs.empty());
}

TEST(MachineProbe, VmclockPathIsConfigurable) {
  const TempFile fake_device("");
  ProbeOptions o = quick();
  o.vmclock_path = fake_device.path();
  EXPECT_TRUE(probe_machine(o).vmclock_present);
  o.vmclock_path = "/nonexistent/vmclock0";
  const MachineProbe p = probe_machine(o);
  EXPECT_FALSE(p.vmclock_present);
  EXPECT_EQ(p.vmclock_path, "/nonexistent/vmclock0");
}

TEST(MachineProbe, UnreadableClocksourceIsReportedNotFatal) {
  ProbeOptions o = quick();
  o.counter.clocksource_path = "/nonexistent/current_clocksource";
  const MachineProbe p = probe_machine(o);
  EXPECT_FALSE(p.kernel_clocksource.has_value());
  EXPECT_NE(p.kernel_clocksource_error.find("not found"), std::string::npos);
  EXPECT_NE(p.auto_choice.kind, CounterKind::X86Tsc) << "nothing vouches for the TSC";
}

TEST(MachineProbe, ReadCostsEndWithTheRealtimeReference) {
  ProbeOptions o = quick();
  o.measure_read_costs = true;
  o.read_cost.batches = 3;
  o.read_cost.reads_per_batch = 200;
  const MachineProbe p = probe_machine(o);
  ASSERT_FALSE(p.read_costs.empty());
  EXPECT_EQ(p.read_costs.back().what, "clock_gettime(CLOCK_REALTIME)");
  EXPECT_DOUBLE_EQ(p.read_costs.back().ratio_to_realtime, 1.0);
  for (const auto& r : p.read_costs) {
    EXPECT_GT(r.cost.median_ns, 0.0) << r.what;
    EXPECT_NEAR(r.ratio_to_realtime, r.cost.median_ns / p.read_costs.back().cost.median_ns, 1e-9) << r.what;
  }
}
