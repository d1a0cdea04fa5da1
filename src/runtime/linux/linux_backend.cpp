// SPDX-License-Identifier: BSD-2-Clause
#include "runtime/linux/linux_backend.hpp"

#include <array>

#include "platform/block_file.hpp"
#include "platform/monotonic_clock.hpp"
#include "platform/poll_wait.hpp"
#include "platform/udp_socket.hpp"

namespace ffclock::runtime::linux_os {
namespace {

class UdpPort final : public DatagramPort {
 public:
  UdpPort(platform::UdpSocket sock, platform::Ipv4Endpoint local) : sock_(std::move(sock)), local_(local) {}
  int wait_key() const override { return sock_.fd(); }
  platform::Ipv4Endpoint local() const override { return local_; }

  core::Result<std::optional<platform::UdpReceived>, NetError> try_recv(
      std::span<std::byte> buffer) override {
    auto r = sock_.try_recv(buffer);
    if (!r) return core::Unexpected{NetError{NetErrc::RecvFailed, r.error().code}};
    if (!r->received) return std::optional<platform::UdpReceived>{};
    return std::optional<platform::UdpReceived>(r->datagram);
  }

  core::Result<Unit, NetError> send(std::span<const std::byte> payload,
                                    platform::Ipv4Endpoint peer) override {
    auto r = sock_.send_to(payload, peer);
    if (!r) return core::Unexpected{NetError{NetErrc::SendFailed, r.error().code}};
    if (*r != payload.size()) return core::Unexpected{NetError{NetErrc::ShortSend, 0}};
    return Unit{};
  }

 private:
  platform::UdpSocket sock_;
  platform::Ipv4Endpoint local_;
};

class FileBlockStore final : public BlockStore {
 public:
  explicit FileBlockStore(platform::BlockFile file) : file_(std::move(file)) {}
  std::size_t page_size() const override { return file_.page_size(); }
  uint64_t pages() const override { return file_.pages(); }
  core::Result<Unit, BlockError> read(uint64_t offset, std::span<std::byte> out) override {
    auto r = file_.read_at(offset, out);
    if (!r) return core::Unexpected{BlockError{BlockErrc::Io, r.error().code}};
    return Unit{};
  }
  core::Result<Unit, BlockError> write(uint64_t offset, std::span<const std::byte> data) override {
    auto r = file_.write_at(offset, data);
    if (!r) return core::Unexpected{BlockError{BlockErrc::Io, r.error().code}};
    return Unit{};
  }

 private:
  platform::BlockFile file_;
};

constexpr int kStopCheckMs = 250;

}  // namespace

core::Result<std::unique_ptr<LinuxBackend>, platform::SysError> LinuxBackend::create(Options options) {
  auto timer = platform::TimerFd::create();
  if (!timer) return core::Unexpected{timer.error()};
  std::optional<platform::StopSignals> signals;
  if (options.handle_stop_signals) {
    auto s = platform::StopSignals::install();
    if (!s) return core::Unexpected{s.error()};
    signals.emplace(std::move(s).value());
  }
  return std::unique_ptr<LinuxBackend>(new LinuxBackend(std::move(timer).value(), std::move(signals)));
}

MonoTime LinuxBackend::now() { return mono_from_ns(platform::monotonic_now_ns()); }

bool LinuxBackend::stop_requested() { return signals_.has_value() && platform::StopSignals::pending(); }

WaitOutcome LinuxBackend::wait(std::span<const int> keys, WaitDeadline deadline) {
  std::array<int, 65> fds{};
  if (keys.size() > 64) {
    last_error_ = "wait: more than 64 devices";
    return {WaitStatus::Failed, 0};
  }
  std::size_t n = 0;
  for (int k : keys) fds[n++] = k;
  int timeout_ms = -1;
  bool use_timer = false;
  switch (deadline.kind) {
    case WaitDeadline::Kind::Immediate:
      timeout_ms = 0;
      break;
    case WaitDeadline::Kind::Forever:
      break;
    case WaitDeadline::Kind::At:
      if (deadline.at <= now()) {
        timeout_ms = 0;
      } else {
        use_timer = true;
      }
      break;
  }
  if (use_timer) {
    // Re-arm only when the deadline changed: one timerfd_settime per new nearest timer.
    if (armed_ != deadline.at) {
      if (auto r = timer_.arm_at(mono_to_ns(deadline.at)); !r) {
        last_error_ = platform::describe(r.error());
        return {WaitStatus::Failed, 0};
      }
      armed_ = deadline.at;
    }
    fds[n++] = timer_.fd();
  }
  // Signals that arrived before this point are seen by the caller's next check. One that
  // lands between this check and poll() does not interrupt it (no signalfd or self-pipe, by
  // the simulation rules), so with stop signals handled poll() never blocks longer than
  // kStopCheckMs: a missed SIGTERM costs at most that much latency. The early return is
  // harmless: the scheduler fires only the timers that are due.
  if (stop_requested()) return {WaitStatus::Interrupted, 0};
  if (signals_ && (timeout_ms < 0 || timeout_ms > kStopCheckMs)) timeout_ms = kStopCheckMs;
  auto r = platform::poll_readable({fds.data(), n}, timeout_ms);
  if (!r) {
    last_error_ = platform::describe(r.error());
    return {WaitStatus::Failed, 0};
  }
  if (r->status == platform::PollStatus::Interrupted) return {WaitStatus::Interrupted, 0};
  if (use_timer && r->readable[n - 1]) {
    timer_.drain();
    armed_.reset();  // expired: a later wait on the same deadline must re-arm
  }
  uint64_t mask = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (r->readable[i]) mask |= uint64_t{1} << i;
  }
  return {mask != 0 ? WaitStatus::Ready : WaitStatus::TimedOut, mask};
}

core::Result<std::unique_ptr<DatagramPort>, NetError> LinuxBackend::open_udp(platform::Ipv4Endpoint local) {
  auto sock = platform::UdpSocket::open(local);
  if (!sock) return core::Unexpected{NetError{NetErrc::OpenFailed, sock.error().code}};
  auto bound = sock->local_endpoint();
  if (!bound) return core::Unexpected{NetError{NetErrc::OpenFailed, bound.error().code}};
  return std::unique_ptr<DatagramPort>(new UdpPort(std::move(sock).value(), *bound));
}

core::Result<std::unique_ptr<BlockStore>, BlockError> LinuxBackend::open_block_file(const std::string& path,
                                                                                    std::size_t page_size,
                                                                                    uint64_t min_pages) {
  auto file = platform::BlockFile::open(path, page_size, min_pages);
  if (!file) return core::Unexpected{BlockError{BlockErrc::OpenFailed, file.error().code}};
  return std::unique_ptr<BlockStore>(new FileBlockStore(std::move(file).value()));
}

}  // namespace ffclock::runtime::linux_os
