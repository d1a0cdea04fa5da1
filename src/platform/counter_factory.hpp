// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Making the counter the configuration names: "tsc", "cntvct", "monotonic_raw" or "auto".
//
// "auto" applies choose_counter() (counter_selection.hpp) to this machine's facts. A kind this
// build or machine lacks is a CounterError with a message naming what is available.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "platform/counter.hpp"
#include "platform/counter_selection.hpp"
#include "platform/frequency_calibration.hpp"
#include "platform/kernel_clocksource.hpp"

namespace ffclock::platform {

struct CounterOptions {
  std::string clocksource_path = kKernelClocksourcePath;
  CalibrationOptions calibration;
};

enum class CounterErrorKind : uint8_t {
  UnknownName,  // not one of auto, tsc, cntvct, monotonic_raw
  Unavailable,  // a real kind this build or machine does not have
  Unusable,     // present but its frequency could not be established
};

struct CounterError {
  CounterErrorKind kind = CounterErrorKind::Unavailable;
  std::string message;
};

// The architecture this build targets: "x86_64", "aarch64", ...
[[nodiscard]] std::string build_architecture();

// Kinds compiled into this build, in preference order (monotonic_raw always last).
[[nodiscard]] std::vector<CounterKind> compiled_counter_kinds();

// The cheap facts "auto" decides on (CPUID and sysfs; no calibration).
[[nodiscard]] CounterCandidates gather_counter_candidates(const CounterOptions& options = {});

[[nodiscard]] core::Result<std::unique_ptr<Counter>, CounterError> make_counter(
    std::string_view kind_or_auto, const CounterOptions& options = {});

}  // namespace ffclock::platform
