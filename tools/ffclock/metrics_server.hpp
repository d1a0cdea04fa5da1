// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// `ffclock metrics --listen HOST:PORT`: serves the exposition at /metrics over HTTP
// (cpp-httplib, its own threads) until env.stop_requested() says stop. Every scrape reads
// the pages afresh.

#include <cstdint>
#include <string>

#include "cli_env.hpp"
#include "config_paths.hpp"
#include "core/result.hpp"

namespace ffclock::tool {

struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};

// "127.0.0.1:9975", "[::1]:9975", "localhost:0" (0: any free port).
[[nodiscard]] core::Result<ListenAddress, std::string> parse_listen_address(const std::string& text);

// Serves until stopped; returns the exit code (2 when the address cannot be bound).
[[nodiscard]] int serve_metrics(const ListenAddress& address, const PagePaths& paths, CliEnv& env);

}  // namespace ffclock::tool
