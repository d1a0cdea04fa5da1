// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Error values of the runtime: why a task, a run, a Net or a Block operation did not
// produce its value. Every operation returns one of these instead of throwing.

#include <cstdint>
#include <string>
#include <variant>

namespace ffclock::runtime {

// The value of a Task<void> or of an operation that only succeeds or fails.
using Unit = std::monostate;

enum class TaskError : uint8_t {
  Cancelled,      // the task was cancelled before it returned
  AlreadyJoined,  // its value was taken by an earlier join
};

enum class RunError : uint8_t {
  Stopped,        // SIGTERM/SIGINT (or the simulated stop): the root task was cancelled
  Stalled,        // nothing ready, no timer, no device wait: no task could ever run again
  BackendFailed,  // the backend's wait failed (see Backend::last_error())
};

enum class NetErrc : uint8_t {
  Timeout,         // read_until: the deadline passed first
  Truncated,       // the datagram was larger than the buffer; it is consumed and lost
  RecvFailed,      // the OS refused the receive (sys_errno says why)
  SendFailed,      // the OS refused the send
  ShortSend,       // fewer bytes than the payload left
  TooManyDevices,  // a scheduler polls at most kMaxNetDevices Net devices
  OpenFailed,      // socket/bind (or the simulated equivalent) failed
  AddressInUse,    // another device already has this local endpoint
};

struct NetError {
  NetErrc code = NetErrc::RecvFailed;
  int sys_errno = 0;
  friend bool operator==(const NetError&, const NetError&) = default;
};

enum class BlockErrc : uint8_t {
  Misaligned,  // offset is not a multiple of the page size
  BadLength,   // buffer length is zero or not a multiple of the page size
  OutOfRange,  // the pages run past the end of the device
  Io,          // the OS failed the read or write (sys_errno says why)
  OpenFailed,
};

struct BlockError {
  BlockErrc code = BlockErrc::Io;
  int sys_errno = 0;
  friend bool operator==(const BlockError&, const BlockError&) = default;
};

[[nodiscard]] std::string describe(TaskError e);
[[nodiscard]] std::string describe(RunError e);
[[nodiscard]] std::string describe(const NetError& e);
[[nodiscard]] std::string describe(const BlockError& e);

}  // namespace ffclock::runtime
