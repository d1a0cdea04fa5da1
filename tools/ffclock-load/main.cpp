// SPDX-License-Identifier: BSD-2-Clause
// ffclock-load: an NTP load generator for measuring a server's throughput on this machine.
// Many client sockets (each connect()ed, so the kernel does one route lookup per socket)
// keep a number of requests in flight, as fast as they are answered or at a fixed total
// rate; every request carries a unique transmit timestamp, and a reply counts only when its
// origin timestamp names a request in flight (RFC 5905's check). It reports answered
// requests per second, loss, kiss-o'-death replies and latency percentiles. Requests and
// replies go through the project's NTP codec.
//
// `--echo` turns it into the other end: a reference server that does only the work no
// server can avoid (batched receive, the reply's mode and origin, batched send). Loaded like
// any server, it gives this machine's ceiling for a load: what a server with no work of its
// own would reach.

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/cli11.hpp"
#include "core/ntp/ntp_packet.hpp"
#include "platform/udp_batch.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using ffclock::core::NtpMode;
using ffclock::core::NtpPacket;

constexpr auto kLostAfter = std::chrono::milliseconds(100);
constexpr std::size_t kMaxLatencies = std::size_t{1} << 24;

struct Slot {
  uint64_t tag = 0;  // transmit timestamp of the request in flight; 0: free
  Clock::time_point sent;
};

struct Client {
  int fd = -1;
  std::vector<Slot> slots;  // `outstanding` of them
};

struct Totals {
  uint64_t sent = 0;
  uint64_t answered = 0;  // replies whose origin matched a request in flight
  uint64_t kod = 0;       // of those, kiss-o'-death (stratum 0)
  uint64_t lost = 0;      // requests unanswered after kLostAfter (re-sent)
  uint64_t stray = 0;     // replies that matched nothing (late, duplicated, malformed)
  std::vector<uint32_t> latency_ns;
};

std::optional<sockaddr_in> parse_server(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  if (inet_pton(AF_INET, text.substr(0, colon).c_str(), &sa.sin_addr) != 1) return std::nullopt;
  char* end = nullptr;
  const unsigned long port = std::strtoul(text.c_str() + colon + 1, &end, 10);
  if (end == text.c_str() + colon + 1 || *end != '\0' || port == 0 || port > 65535) return std::nullopt;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  return sa;
}

class Load {
 public:
  Load(const sockaddr_in& server, int sockets, int outstanding) {
    clients_.resize(static_cast<std::size_t>(sockets));
    for (Client& c : clients_) {
      c.fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (c.fd < 0 || ::connect(c.fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0) {
        error_ = fmt::format("socket: {}", std::strerror(errno));
        return;
      }
      c.slots.resize(static_cast<std::size_t>(outstanding));
    }
  }
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;
  ~Load() {
    for (Client& c : clients_)
      if (c.fd >= 0) ::close(c.fd);
  }
  [[nodiscard]] const std::string& error() const { return error_; }

  // Runs for `seconds`; `rate` requests per second in total, or 0 for as fast as answered.
  Totals run(double seconds, double rate) {
    paced_ = rate > 0;
    Totals t;
    t.latency_ns.reserve(1 << 20);
    const auto start = Clock::now();
    const auto end =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    const auto spacing =
        rate > 0 ? std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate))
                 : Clock::duration::zero();
    auto next_send = start;
    std::vector<pollfd> fds;
    for (const Client& c : clients_) fds.push_back({c.fd, POLLIN, 0});
    for (;;) {
      const auto now = Clock::now();
      if (now >= end) break;
      fill(t, now, rate > 0, next_send, spacing);
      if (::poll(fds.data(), fds.size(), 1) < 0 && errno != EINTR) break;
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].revents & POLLIN) drain(clients_[i], t);
      }
    }
    return t;
  }

 private:
  // Sends into every free slot (fixed rate: only as the schedule allows); re-sends lost ones.
  void fill(Totals& t, Clock::time_point now, bool paced, Clock::time_point& next_send,
            Clock::duration spacing) {
    for (Client& c : clients_) {
      for (Slot& s : c.slots) {
        if (s.tag != 0 && now - s.sent < kLostAfter) continue;
        if (s.tag != 0) ++t.lost;
        s.tag = 0;
        if (paced) {
          if (now < next_send) return;
          next_send += spacing;
          if (next_send < now - kLostAfter) next_send = now;  // do not burst to catch up
        }
        send(c, s, now, t);
      }
    }
  }

  void send(Client& c, Slot& s, Clock::time_point now, Totals& t) {
    NtpPacket p;
    p.mode = NtpMode::Client;
    p.transmit_ts.raw = ++tag_;  // unique, never zero; a server echoes it as the origin
    const auto bytes = ffclock::core::encode_ntp_packet(p);
    if (::send(c.fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) return;
    s.tag = tag_;
    s.sent = now;
    ++t.sent;
  }

  void drain(Client& c, Totals& t) {
    std::array<uint8_t, 512> buf{};
    for (;;) {
      const ssize_t n = ::recv(c.fd, buf.data(), buf.size(), MSG_DONTWAIT);
      if (n < 0) return;
      const auto now = Clock::now();
      const auto d =
          ffclock::core::decode_ntp_packet(std::span<const uint8_t>(buf.data(), static_cast<std::size_t>(n)));
      Slot* slot = nullptr;
      if (d && d->header.mode == NtpMode::Server) {
        for (Slot& s : c.slots)
          if (s.tag != 0 && s.tag == d->header.origin_ts.raw) slot = &s;
      }
      if (slot == nullptr) {
        ++t.stray;
        continue;
      }
      ++t.answered;
      if (d->header.stratum == 0) ++t.kod;
      if (t.latency_ns.size() < kMaxLatencies) {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now - slot->sent).count();
        t.latency_ns.push_back(static_cast<uint32_t>(std::min<int64_t>(ns, UINT32_MAX)));
      }
      slot->tag = 0;
      // As fast as answered: refill the slot at once (paced, fill() does it on schedule).
      if (!paced_) send(c, *slot, now, t);
    }
  }

  std::vector<Client> clients_;
  bool paced_ = false;
  uint64_t tag_ = 0;
  std::string error_;
};

// The echo server: answers every well-formed client request at `address` for `seconds`
// with a mode-4 copy whose origin is the request's transmit timestamp; all else is dropped.
// Returns the replies sent, or an error.
std::optional<uint64_t> echo(const sockaddr_in& address, double seconds, std::string& error) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    error = fmt::format("bind: {}", std::strerror(errno));
    if (fd >= 0) ::close(fd);
    return std::nullopt;
  }
  std::vector<ffclock::platform::BatchDatagram> batch(ffclock::platform::kUdpBatch);
  uint64_t replies = 0;
  const auto end =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  pollfd pfd{fd, POLLIN, 0};
  while (Clock::now() < end) {
    if (::poll(&pfd, 1, 100) <= 0) continue;
    const auto got = ffclock::platform::recv_batch(fd, batch);
    if (!got) {
      error = ffclock::platform::describe(got.error());
      break;
    }
    std::size_t n = 0;
    for (std::size_t i = 0; i < *got; ++i) {
      auto& d = batch[i];
      // 48 bytes, mode 3 (client): the reply is the request with mode 4, stratum 1 (0 would
      // be a kiss-o'-death) and its transmit timestamp (bytes 40–47) as the origin (24–31).
      if (d.truncated || d.size != ffclock::core::kNtpHeaderSize || (d.data[0] & 7) != 3) continue;
      std::memcpy(d.data.data() + 24, d.data.data() + 40, 8);
      d.data[0] = static_cast<uint8_t>((d.data[0] & 0xf8) | 4);
      d.data[1] = 1;
      if (n != i) batch[n] = d;
      ++n;
    }
    const auto sent = ffclock::platform::send_batch(fd, std::span(batch.data(), n));
    if (sent) replies += *sent;
  }
  ::close(fd);
  return replies;
}

double percentile_us(std::vector<uint32_t>& v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k] / 1e3;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ffclock-load: NTP requests per second a server answers (loopback benchmarking)"};
  app.set_version_flag("--version", std::string("ffclock-load ") + FFCLOCK_VERSION);
  std::string server;
  double seconds = 5;
  int sockets = 16;
  int outstanding = 4;
  double rate = 0;
  bool json = false;
  bool echo_mode = false;
  app.add_option("server", server, "the server, ADDRESS:PORT (IPv4); with --echo, where to listen")
      ->required();
  app.add_flag("--echo", echo_mode,
               "be the reference server instead: answer requests at ADDRESS:PORT for --seconds with "
               "only the unavoidable work (the machine's ceiling for a load)");
  app.add_option("--seconds", seconds, "how long to load it")->check(CLI::Range(0.1, 3600.0));
  app.add_option("--sockets", sockets, "client sockets (source ports)")->check(CLI::Range(1, 1024));
  app.add_option("--outstanding", outstanding, "requests in flight per socket")->check(CLI::Range(1, 64));
  app.add_option("--rate", rate, "requests per second in total; 0: as fast as answered")
      ->check(CLI::Range(0.0, 1e8));
  app.add_flag("--json", json, "one JSON object instead of text");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  const auto sa = parse_server(server);
  if (!sa) {
    fmt::print(stderr, "ffclock-load: \"{}\" is not ADDRESS:PORT (IPv4)\n", server);
    return 2;
  }
  if (echo_mode) {
    std::string error;
    const auto replies = echo(*sa, seconds, error);
    if (!replies) {
      fmt::print(stderr, "ffclock-load: {}\n", error);
      return 1;
    }
    if (!error.empty()) fmt::print(stderr, "ffclock-load: {}\n", error);
    fmt::print("{}: echoed {} requests\n", server, *replies);
    return error.empty() ? 0 : 1;
  }
  Load load(*sa, sockets, outstanding);
  if (!load.error().empty()) {
    fmt::print(stderr, "ffclock-load: {}\n", load.error());
    return 1;
  }
  Totals t = load.run(seconds, rate);
  const double answered_per_s = static_cast<double>(t.answered) / seconds;
  const double loss = t.sent == 0 ? 0 : static_cast<double>(t.lost) / static_cast<double>(t.sent);
  const double p50 = percentile_us(t.latency_ns, 0.5);
  const double p99 = percentile_us(t.latency_ns, 0.99);
  const double p999 = percentile_us(t.latency_ns, 0.999);
  if (json) {
    nlohmann::json j{{"server", server},       {"seconds", seconds},
                     {"sockets", sockets},     {"outstanding", outstanding},
                     {"rate", rate},           {"sent", t.sent},
                     {"answered", t.answered}, {"answered_per_s", answered_per_s},
                     {"lost", t.lost},         {"loss", loss},
                     {"kod", t.kod},           {"stray", t.stray},
                     {"latency_p50_us", p50},  {"latency_p99_us", p99},
                     {"latency_p999_us", p999}};
    fmt::print("{}\n", j.dump());
  } else {
    fmt::print(
        "{}: {:.0f} answered/s ({} sent, {} answered, loss {:.3f} %, {} KoD, {} stray); "
        "latency p50 {:.1f} us, p99 {:.1f} us, p99.9 {:.1f} us\n",
        server, answered_per_s, t.sent, t.answered, loss * 100, t.kod, t.stray, p50, p99, p999);
  }
  return t.answered > 0 ? 0 : 1;
}
