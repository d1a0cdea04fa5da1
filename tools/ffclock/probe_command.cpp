// SPDX-License-Identifier: BSD-2-Clause
// `ffclock probe`: what this machine offers as a counter, which one "auto" takes and why, and
// what a read costs next to clock_gettime(CLOCK_REALTIME). The work is in
// platform::probe_machine(); this file parses options and prints.
#include <fmt/format.h>

#include <memory>
#include <ostream>

#include "cli_env.hpp"
#include "command_registry.hpp"
#include "common/cli11.hpp"
#include "common_options.hpp"
#include "platform/machine_probe.hpp"
#include "probe_report.hpp"

namespace ffclock::tool {
namespace {

struct ProbeArgs {
  platform::ProbeOptions probe;
  bool json = false;
  bool no_read_cost = false;
};

void run_probe(const ProbeArgs& args, CliEnv& env) {
  platform::ProbeOptions options = args.probe;
  options.measure_read_costs = !args.no_read_cost;
  const platform::MachineProbe probe = platform::probe_machine(options);
  if (args.json) {
    *env.out << probe_to_json(probe).dump(2) << '\n';
  } else {
    *env.out << probe_to_text(probe);
  }
}

void add_probe_command(CLI::App& app, CliEnv& env, CommandResult& result) {
  auto args = std::make_shared<ProbeArgs>();
  CLI::App* cmd =
      app.add_subcommand("probe", "Show this machine's counters, the auto choice, and read costs");
  cmd->add_flag("--json", args->json, "Print JSON instead of a table");
  add_version_flag(*cmd);
  cmd->add_option("--vmclock", args->probe.vmclock_path, "vmclock device to look for")->capture_default_str();
  cmd->add_option("--clocksource-file", args->probe.counter.clocksource_path,
                  "File holding the kernel's current clocksource")
      ->capture_default_str();
  cmd->add_flag("--no-read-cost", args->no_read_cost, "Skip the read-cost measurement");
  cmd->add_option("--batches", args->probe.read_cost.batches, "Read-cost batches (median taken)")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--reads", args->probe.read_cost.reads_per_batch, "Reads per batch")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  cmd->callback([args, &env, &result] {
    run_probe(*args, env);
    result.exit_code = 0;
  });
}

const CommandRegistration kProbe{"probe", add_probe_command};

}  // namespace
}  // namespace ffclock::tool
