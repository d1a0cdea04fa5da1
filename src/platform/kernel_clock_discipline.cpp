// SPDX-License-Identifier: BSD-2-Clause
#include "platform/kernel_clock_discipline.hpp"

#include <sys/timex.h>

#include <algorithm>
#include <cerrno>
#include <cmath>

namespace ffclock::platform {
namespace {

// adjtimex's freq unit: ppm with a 16-bit fraction.
constexpr double kFreqScale = 65536.0;

long micros(Duration d) {
  const Duration c = std::clamp(d, Duration::zero(), core::discipline::kMaxKernelError);
  return static_cast<long>((c.to_nanoseconds() + 999) / 1000);  // rounded up: a bound stays a bound
}

}  // namespace

core::Result<double, SysError> LinuxKernelClockDiscipline::frequency_ppm() {
  struct timex tx {};
  tx.modes = 0;  // read only
  if (adjtimex(&tx) < 0) return core::Unexpected{SysError{"adjtimex", errno}};
  return static_cast<double>(tx.freq) / kFreqScale;
}

std::optional<SysError> LinuxKernelClockDiscipline::step(Duration by) {
  // ADJ_NANO: tv_usec holds nanoseconds, in [0, 1e9), with tv_sec carrying the sign.
  const int64_t ns = by.to_nanoseconds();
  int64_t sec = ns / 1'000'000'000;
  int64_t frac = ns % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    sec -= 1;
  }
  struct timex tx {};
  tx.modes = ADJ_SETOFFSET | ADJ_NANO;
  tx.time.tv_sec = static_cast<time_t>(sec);
  tx.time.tv_usec = static_cast<suseconds_t>(frac);
  if (adjtimex(&tx) < 0) return SysError{"adjtimex(ADJ_SETOFFSET)", errno};
  return std::nullopt;
}

std::optional<SysError> LinuxKernelClockDiscipline::set(const KernelSettings& s) {
  struct timex tx {};
  tx.modes = ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR;
  // PLL and FLL off: the kernel runs no loop of its own; only the frequency moves REALTIME.
  tx.status = 0;
  if (!s.synchronized) tx.status |= STA_UNSYNC;
  if (s.leap == core::discipline::KernelLeap::Insert) tx.status |= STA_INS;
  if (s.leap == core::discipline::KernelLeap::Delete) tx.status |= STA_DEL;
  tx.maxerror = micros(s.maxerror);
  tx.esterror = micros(s.esterror);
  if (s.set_frequency) {
    tx.modes |= ADJ_FREQUENCY;
    const double ppm = std::clamp(s.frequency_ppm, -core::discipline::kMaxKernelFrequencyPpm,
                                  core::discipline::kMaxKernelFrequencyPpm);
    tx.freq = std::lround(ppm * kFreqScale);
  }
  if (adjtimex(&tx) < 0) return SysError{"adjtimex", errno};
  return std::nullopt;
}

}  // namespace ffclock::platform
