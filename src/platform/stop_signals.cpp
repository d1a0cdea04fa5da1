// SPDX-License-Identifier: BSD-2-Clause
#include "platform/stop_signals.hpp"

#include <cerrno>

namespace ffclock::platform {
namespace {

// Process-wide by nature: a signal handler can reach nothing else.
volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int sig) { g_stop_signal = sig; }

}  // namespace

core::Result<StopSignals, SysError> StopSignals::install() {
  StopSignals s;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked poll() must return EINTR
  if (::sigaction(SIGTERM, &sa, &s.old_term_) < 0) {
    return core::Unexpected{SysError{"sigaction(SIGTERM)", errno}};
  }
  if (::sigaction(SIGINT, &sa, &s.old_int_) < 0) {
    const int err = errno;
    ::sigaction(SIGTERM, &s.old_term_, nullptr);
    return core::Unexpected{SysError{"sigaction(SIGINT)", err}};
  }
  s.active_ = true;
  return s;
}

StopSignals::StopSignals(StopSignals&& other) noexcept
    : active_(other.active_), old_term_(other.old_term_), old_int_(other.old_int_) {
  other.active_ = false;
}

StopSignals::~StopSignals() {
  if (!active_) return;
  ::sigaction(SIGTERM, &old_term_, nullptr);
  ::sigaction(SIGINT, &old_int_, nullptr);
}

bool StopSignals::pending() { return g_stop_signal != 0; }
int StopSignals::last_signal() { return g_stop_signal; }
void StopSignals::clear() { g_stop_signal = 0; }

}  // namespace ffclock::platform
