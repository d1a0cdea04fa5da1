// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What ffclock knows about a counter beyond CounterInfo: where its nominal frequency came from
// and how far that figure can be off. Shown by `ffclock probe`; the estimator starts from it.

#include <optional>
#include <string>

#include "platform/counter.hpp"

namespace ffclock::platform {

struct CounterFacts {
  CounterInfo info;
  std::string frequency_source;  // "cpuid_0x15", "calibrated", "cntfrq_el0", "nanoseconds", ...
  // Relative bound on nominal_hz when it was measured; nothing when it is given by definition
  // or by the hardware (then the estimator's first NTP exchanges measure the real error).
  std::optional<double> frequency_uncertainty_ppm;
  std::optional<bool> invariant;  // constant-rate per the hardware, where it says
};

}  // namespace ffclock::platform
