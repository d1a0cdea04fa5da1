// SPDX-License-Identifier: BSD-2-Clause
// `ffclock metrics`: the Prometheus text exposition of both pages (clock_metrics.hpp), once
// on stdout, or served over HTTP with --listen HOST:PORT. The one-shot form always prints
// what it could read; its exit code is 1 when a page is missing, 2 when one is malformed.
#include <algorithm>
#include <memory>
#include <ostream>

#include "cli_env.hpp"
#include "clock_metrics.hpp"
#include "command_registry.hpp"
#include "common/cli11.hpp"
#include "common_options.hpp"
#include "exit_codes.hpp"
#include "metrics_server.hpp"

namespace ffclock::tool {
namespace {

struct MetricsArgs {
  CommonOptions common;
  std::string listen;
};

int run_metrics(const MetricsArgs& args, CliEnv& env) {
  const PagePaths paths = resolve_page_paths(args.common);
  if (!args.listen.empty()) {
    const auto address = parse_listen_address(args.listen);
    if (!address) throw CommandError(kExitUsage, "--listen " + address.error());
    return serve_metrics(*address, paths, env);
  }
  const MetricsInput input = collect_metrics(paths, env);
  const Exposition e = build_metrics(input);
  if (args.common.json) {
    *env.out << e.json().dump(2) << '\n';
  } else {
    *env.out << e.text();
  }
  int code = kExitOk;
  if (!input.clock) {
    *env.err << "ffclock metrics: " << input.clock_error << '\n';
    code = input.clock_error_code;
  }
  if (!input.sources) {
    *env.err << "ffclock metrics: " << input.sources_error << '\n';
    code = std::max(code, input.sources_error_code);
  }
  return code;
}

void add_metrics_command(CLI::App& app, CliEnv& env, CommandResult& result) {
  auto args = std::make_shared<MetricsArgs>();
  CLI::App* cmd =
      app.add_subcommand("metrics", "Prometheus metrics from the pages, printed or served over HTTP");
  add_common_options(*cmd, args->common, true);
  cmd->add_option("--listen", args->listen, "Serve /metrics over HTTP on HOST:PORT, e.g. 127.0.0.1:9975");
  cmd->callback([args, &env, &result] { result.exit_code = run_metrics(*args, env); });
}

const CommandRegistration kMetrics{"metrics", add_metrics_command};

}  // namespace
}  // namespace ffclock::tool
