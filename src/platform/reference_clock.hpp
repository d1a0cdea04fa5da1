// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A reference clock for the evaluation log (`ffclockd --eval-reference /dev/ptpN`): a PTP
// hardware clock read with clock_gettime(FD_TO_CLOCKID(fd)). On real hardware that is a
// PTP- or GPS-disciplined NIC clock; under clknetsim /dev/ptp0 is true time.
// FakeReferenceClock serves tests.

#include <functional>
#include <string>

#include "core/result.hpp"
#include "platform/sys_error.hpp"

namespace ffclock::platform {

class ReferenceClock {
 public:
  virtual ~ReferenceClock() = default;
  // The clock's time in nanoseconds since its epoch (1970 for a PTP clock).
  [[nodiscard]] virtual core::Result<int64_t, SysError> read_ns() = 0;
};

class PtpReferenceClock final : public ReferenceClock {
 public:
  // Opens the device read-only and checks that it is a clock (one read).
  [[nodiscard]] static core::Result<PtpReferenceClock, SysError> open(const std::string& path);
  PtpReferenceClock(PtpReferenceClock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  PtpReferenceClock& operator=(PtpReferenceClock&&) = delete;
  PtpReferenceClock(const PtpReferenceClock&) = delete;
  ~PtpReferenceClock() override;
  core::Result<int64_t, SysError> read_ns() override;

 private:
  explicit PtpReferenceClock(int fd) : fd_(fd) {}
  int fd_;
};

// Returns `now_ns`; `on_read` runs inside every read (a test moves its counter there).
class FakeReferenceClock final : public ReferenceClock {
 public:
  core::Result<int64_t, SysError> read_ns() override {
    if (on_read) on_read();
    if (fail) return core::Unexpected{SysError{"clock_gettime", 19}};
    return now_ns;
  }
  int64_t now_ns = 0;
  bool fail = false;
  std::function<void()> on_read;
};

}  // namespace ffclock::platform
