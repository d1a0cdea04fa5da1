// SPDX-License-Identifier: BSD-2-Clause
#include "core/engine/disruption_detector.hpp"

#include <cmath>

namespace ffclock::core::engine {

namespace {
// A suspend shorter than this is not worth a disruption (and not told apart from jitter).
constexpr int64_t kSuspendNs = 100'000'000;
// The kernel slews CLOCK_MONOTONIC by at most 500 ppm; reads are a few µs apart.
constexpr double kMonotonicSlew = 500e-6;
constexpr double kReadSlackS = 1e-3;
}  // namespace

std::optional<DisruptionReason> DisruptionDetector::check(const WakeReading& r, long double period_s,
                                                          double period_bound_rel) {
  const std::optional<WakeReading> prev = last_;
  last_ = r;
  if (!prev) return std::nullopt;
  const int64_t slept = (r.boottime_ns - r.monotonic_ns) - (prev->boottime_ns - prev->monotonic_ns);
  if (slept > kSuspendNs) return DisruptionReason::Resume;
  const double mono_s = static_cast<double>(r.monotonic_ns - prev->monotonic_ns) * 1e-9;
  // A counter that went back is a jump whatever its size.
  if (r.counter < prev->counter) return DisruptionReason::CounterJump;
  const auto counter_s = static_cast<double>(static_cast<long double>(r.counter - prev->counter) * period_s);
  const double allowed = kReadSlackS + std::fabs(mono_s) * (kMonotonicSlew + period_bound_rel);
  if (std::fabs(counter_s - mono_s) > allowed) return DisruptionReason::CounterJump;
  return std::nullopt;
}

}  // namespace ffclock::core::engine
