// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Everything `ffclock probe` reports about this machine's time sources, gathered in one place
// so the tool only formats it: the counters and their facts, the "auto" choice and its reason,
// the kernel's clocksource, whether a vmclock device exists, and read costs measured in the
// same run as clock_gettime(CLOCK_REALTIME).

#include <optional>
#include <string>
#include <vector>

#include "platform/counter_factory.hpp"
#include "platform/counter_facts.hpp"
#include "platform/read_cost.hpp"

namespace ffclock::platform {

inline constexpr const char* kDefaultVmclockPath = "/dev/vmclock0";

struct ProbeOptions {
  CounterOptions counter;
  std::string vmclock_path = kDefaultVmclockPath;
  bool measure_read_costs = true;
  ReadCostOptions read_cost;
};

struct CounterSourceReport {
  CounterKind kind = CounterKind::Invalid;
  std::string name;
  bool available = false;
  std::string unavailable_reason;  // when not available
  CounterFacts facts;              // when available
};

struct ReadCostRow {
  std::string what;  // "tsc: Counter::read()", "clock_gettime(CLOCK_REALTIME)", ...
  ReadCost cost;
  double ratio_to_realtime = 0;  // median / clock_gettime(CLOCK_REALTIME)'s median
};

struct MachineProbe {
  std::string architecture;
  std::optional<std::string> kernel_clocksource;
  std::string kernel_clocksource_error;       // when not readable
  std::vector<CounterSourceReport> counters;  // every kind ffclock knows, available or not
  CounterChoice auto_choice;
  std::string vmclock_path;
  bool vmclock_present = false;
  std::vector<ReadCostRow> read_costs;  // empty unless measured; REALTIME row last
};

// Probes the machine: CPUID and sysfs reads, a TSC calibration when CPUID gives no frequency
// (about 100 ms), and the read-cost loops (tens of ms).
[[nodiscard]] MachineProbe probe_machine(const ProbeOptions& options = {});

}  // namespace ffclock::platform
