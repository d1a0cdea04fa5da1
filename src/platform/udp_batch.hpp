// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Batched datagram I/O for the NTP server's production path: recvmmsg/sendmmsg move up to
// kUdpBatch datagrams per system call. Not simulation-compatible (clknetsim has neither
// call), so the server selects it by configuration; the plain UdpSocket path stays.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/result.hpp"
#include "platform/ipv4_endpoint.hpp"
#include "platform/sys_error.hpp"

namespace ffclock::platform {

inline constexpr std::size_t kUdpBatch = 64;
inline constexpr std::size_t kUdpBatchBytes = 512;  // a longer NTP request is truncated (and refused)

struct BatchDatagram {
  std::array<uint8_t, kUdpBatchBytes> data;
  std::size_t size = 0;
  bool truncated = false;
  Ipv4Endpoint peer;
};

// Receives what is queued on the non-blocking socket `fd`, up to out.size() datagrams;
// 0 when nothing is queued.
[[nodiscard]] core::Result<std::size_t, SysError> recv_batch(int fd, std::span<BatchDatagram> out);
// Sends out[i].data[0..size) to out[i].peer; returns how many left (a full socket buffer
// drops the rest, as UDP may).
[[nodiscard]] core::Result<std::size_t, SysError> send_batch(int fd, std::span<const BatchDatagram> out);

}  // namespace ffclock::platform
