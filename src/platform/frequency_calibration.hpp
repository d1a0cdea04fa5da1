// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Measuring a counter's frequency against CLOCK_MONOTONIC_RAW, with an honest uncertainty.
//
// Each sample reads the counter between two CLOCK_MONOTONIC_RAW reads; the counter value is
// taken to belong to the midpoint, off by at most half the bracket. The frequency comes from
// the first and last samples; its uncertainty is the larger of the bracket bound over the
// whole span and the spread of the per-interval estimates (which catches a preempted or
// migrated sample). This is a start-up figure, not the estimator's period: NTP refines it.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "core/result.hpp"

namespace ffclock::platform {

struct CalibrationSample {
  int64_t raw_before_ns = 0;  // CLOCK_MONOTONIC_RAW just before the counter read
  uint64_t counter = 0;
  int64_t raw_after_ns = 0;  // and just after
};

struct FrequencyEstimate {
  double hz = 0;
  double uncertainty_hz = 0;  // a bound, not a standard deviation
  [[nodiscard]] double uncertainty_ppm() const { return hz > 0 ? uncertainty_hz / hz * 1e6 : 0; }
};

enum class CalibrationError : uint8_t {
  TooFewSamples,   // fewer than two samples
  NotIncreasing,   // the counter or the reference did not move forward
  BracketTooWide,  // the brackets are as wide as the interval: meaningless
};

[[nodiscard]] const char* to_string(CalibrationError e);

// Pure: the estimate from samples in time order.
[[nodiscard]] core::Result<FrequencyEstimate, CalibrationError> estimate_frequency(
    std::span<const CalibrationSample> samples);

struct CalibrationOptions {
  int intervals = 2;  // the brief's 2 x 50 ms
  int64_t interval_ns = 50'000'000;
  int tries_per_sample = 7;  // keep the narrowest bracket of these
};

// Reads `read_counter` against CLOCK_MONOTONIC_RAW (through libc) and sleeps between samples.
[[nodiscard]] core::Result<FrequencyEstimate, CalibrationError> calibrate_against_monotonic_raw(
    const std::function<uint64_t()>& read_counter, const CalibrationOptions& options = {});

}  // namespace ffclock::platform
