// SPDX-License-Identifier: BSD-2-Clause
#include "runtime/errors.hpp"

#include <cstring>

namespace ffclock::runtime {
namespace {

std::string with_errno(std::string s, int err) {
  if (err != 0) {
    s += ": ";
    s += std::strerror(err);
  }
  return s;
}

}  // namespace

std::string describe(TaskError e) {
  switch (e) {
    case TaskError::Cancelled:
      return "task cancelled";
    case TaskError::AlreadyJoined:
      return "task already joined";
  }
  return "unknown task error";
}

std::string describe(RunError e) {
  switch (e) {
    case RunError::Stopped:
      return "stopped by signal";
    case RunError::Stalled:
      return "stalled: no task can ever become ready";
    case RunError::BackendFailed:
      return "backend wait failed";
  }
  return "unknown run error";
}

std::string describe(const NetError& e) {
  switch (e.code) {
    case NetErrc::Timeout:
      return "net read timed out";
    case NetErrc::Truncated:
      return "datagram larger than the buffer (dropped)";
    case NetErrc::RecvFailed:
      return with_errno("receive failed", e.sys_errno);
    case NetErrc::SendFailed:
      return with_errno("send failed", e.sys_errno);
    case NetErrc::ShortSend:
      return "datagram sent short";
    case NetErrc::TooManyDevices:
      return "too many net devices on one scheduler";
    case NetErrc::OpenFailed:
      return with_errno("net device open failed", e.sys_errno);
    case NetErrc::AddressInUse:
      return "local endpoint already in use";
  }
  return "unknown net error";
}

std::string describe(const BlockError& e) {
  switch (e.code) {
    case BlockErrc::Misaligned:
      return "block offset is not a multiple of the page size";
    case BlockErrc::BadLength:
      return "block length is not a positive multiple of the page size";
    case BlockErrc::OutOfRange:
      return "block range runs past the end of the device";
    case BlockErrc::Io:
      return with_errno("block I/O failed", e.sys_errno);
    case BlockErrc::OpenFailed:
      return with_errno("block device open failed", e.sys_errno);
  }
  return "unknown block error";
}

}  // namespace ffclock::runtime
