// SPDX-License-Identifier: BSD-2-Clause
// Gathering the machine's time-source facts for `ffclock probe` (see machine_probe.hpp).
#include "platform/machine_probe.hpp"

#include <time.h>

#include "ffclock/counter_read.hpp"
#include "platform/monotonic_raw_counter.hpp"
#include "platform/read_text_file.hpp"
#if defined(__x86_64__) || defined(__i386__)
#include "platform/tsc_counter.hpp"
#endif
#if defined(__aarch64__)
#include "platform/cntvct_counter.hpp"
#endif

namespace ffclock::platform {
namespace {

CounterSourceReport unavailable(CounterKind kind, std::string reason) {
  CounterSourceReport r;
  r.kind = kind;
  r.name = std::string{counter_kind_name(kind)};
  r.unavailable_reason = std::move(reason);
  return r;
}

CounterSourceReport available(CounterFacts facts) {
  CounterSourceReport r;
  r.kind = facts.info.kind;
  r.name = facts.info.name;
  r.available = true;
  r.facts = std::move(facts);
  return r;
}

uint64_t realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

MachineProbe probe_machine(const ProbeOptions& options) {
  MachineProbe p;
  p.architecture = build_architecture();
  if (auto cs = read_kernel_clocksource(options.counter.clocksource_path)) {
    p.kernel_clocksource = cs.value();
  } else {
    p.kernel_clocksource_error = cs.error().message();
  }

  // Counters: owned here so the read costs go through the same objects.
  std::vector<std::unique_ptr<Counter>> live;
#if defined(__x86_64__) || defined(__i386__)
  {
    CounterFacts tsc = probe_tsc({options.counter.clocksource_path, options.counter.calibration});
    if (tsc.info.nominal_hz != 0) live.push_back(std::make_unique<TscCounter>(tsc));
    p.counters.push_back(available(std::move(tsc)));
  }
#else
  p.counters.push_back(unavailable(CounterKind::X86Tsc, "not an x86 build"));
#endif
#if defined(__aarch64__)
  {
    auto cntvct = std::make_unique<CntvctCounter>();
    p.counters.push_back(available(cntvct->facts()));
    if (cntvct->info().nominal_hz != 0) live.push_back(std::move(cntvct));
  }
#else
  p.counters.push_back(unavailable(CounterKind::ArmVcnt, "not an aarch64 build"));
#endif
  {
    auto raw = std::make_unique<MonotonicRawCounter>();
    p.counters.push_back(available(raw->facts()));
    live.push_back(std::move(raw));
  }

  p.auto_choice = choose_counter(gather_counter_candidates(options.counter));
  p.vmclock_path = options.vmclock_path;
  p.vmclock_present = path_exists(options.vmclock_path);

  if (!options.measure_read_costs) return p;
  for (auto& counter : live) {
    Counter* c = counter.get();
    p.read_costs.push_back({c->info().name + ": Counter::read()",
                            measure_read_cost([c] { return c->read(); }, options.read_cost)});
  }
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__)
  p.read_costs.push_back({"inline read_counter_ordered()",
                          measure_read_cost([] { return read_counter_ordered(); }, options.read_cost)});
  p.read_costs.push_back({"inline read_counter_fast()",
                          measure_read_cost([] { return read_counter_fast(); }, options.read_cost)});
#endif
  const ReadCost realtime = measure_read_cost(realtime_ns, options.read_cost);
  p.read_costs.push_back({"clock_gettime(CLOCK_REALTIME)", realtime});
  for (auto& row : p.read_costs) {
    row.ratio_to_realtime = realtime.median_ns > 0 ? row.cost.median_ns / realtime.median_ns : 0;
  }
  return p;
}

}  // namespace ffclock::platform
