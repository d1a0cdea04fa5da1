// SPDX-License-Identifier: BSD-2-Clause
// The /metrics HTTP endpoint (see metrics_server.hpp).
#include "metrics_server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <ostream>
#include <thread>

#include "clock_metrics.hpp"
#include "exit_codes.hpp"

namespace ffclock::tool {

core::Result<ListenAddress, std::string> parse_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return core::Unexpected{"\"" + text + "\": expected HOST:PORT, e.g. 127.0.0.1:9975"};
  }
  std::string host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3)
      return core::Unexpected{"\"" + text + "\": unbalanced [ ] around the host"};
    host = host.substr(1, host.size() - 2);
  }
  const std::string port_text = text.substr(colon + 1);
  if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos) {
    return core::Unexpected{"\"" + text + "\": the port must be a number 0-65535"};
  }
  const unsigned long port = std::stoul(port_text);
  if (port > 65535) return core::Unexpected{"\"" + text + "\": the port must be a number 0-65535"};
  return ListenAddress{host, static_cast<uint16_t>(port)};
}

int serve_metrics(const ListenAddress& address, const PagePaths& paths, CliEnv& env) {
  httplib::Server server;
  // SO_REUSEADDR only: httplib's default SO_REUSEPORT would let a second exporter bind the
  // same port silently and share the scrapes.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server.Get("/metrics", [&paths, &env](const httplib::Request&, httplib::Response& res) {
    res.set_content(build_metrics(collect_metrics(paths, env)).text(),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
  server.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ffclock metrics exporter: see /metrics\n", "text/plain; charset=utf-8");
  });
  int port = address.port;
  if (port == 0) {
    port = server.bind_to_any_port(address.host);
  } else if (!server.bind_to_port(address.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    throw CommandError(kExitUsage, fmt::format("cannot listen on {}:{}", address.host, address.port));
  }
  *env.err << fmt::format("ffclock metrics: serving http://{}:{}/metrics\n", address.host, port);
  env.err->flush();
  std::atomic<bool> listener_done{false};
  std::thread listener([&server, &listener_done] {
    server.listen_after_bind();
    listener_done = true;
  });
  // httplib's stop() does nothing until listen_after_bind() runs, so a stop requested right
  // after the start (a loaded machine, a quick SIGTERM) would leave the listener in accept()
  // for good: wait until it runs (or has already given up).
  while (!server.is_running() && !listener_done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (env.on_listening) env.on_listening(port);
  while (!(env.stop_requested && env.stop_requested()))
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  server.stop();
  listener.join();
  return kExitOk;
}

}  // namespace ffclock::tool
