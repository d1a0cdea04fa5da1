// SPDX-License-Identifier: BSD-2-Clause
// Counter frequency calibration against CLOCK_MONOTONIC_RAW (see frequency_calibration.hpp).
#include "platform/frequency_calibration.hpp"

#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <vector>

namespace ffclock::platform {
namespace {

int64_t monotonic_raw_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// Midpoint time in ns, with the half-width bracket (the midpoint's possible error).
struct Point {
  double t_ns;
  double half_width_ns;
  uint64_t counter;
};

Point to_point(const CalibrationSample& s) {
  const int64_t width = s.raw_after_ns - s.raw_before_ns;
  return {static_cast<double>(s.raw_before_ns) + static_cast<double>(width) / 2.0,
          static_cast<double>(width) / 2.0, s.counter};
}

CalibrationSample take_sample(const std::function<uint64_t()>& read_counter, int tries) {
  CalibrationSample best{};
  int64_t best_width = INT64_MAX;
  for (int i = 0; i < std::max(tries, 1); ++i) {
    CalibrationSample s{};
    s.raw_before_ns = monotonic_raw_ns();
    s.counter = read_counter();
    s.raw_after_ns = monotonic_raw_ns();
    if (s.raw_after_ns - s.raw_before_ns < best_width) {
      best_width = s.raw_after_ns - s.raw_before_ns;
      best = s;
    }
  }
  return best;
}

void sleep_ns(int64_t ns) {
  timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

}  // namespace

const char* to_string(CalibrationError e) {
  switch (e) {
    case CalibrationError::TooFewSamples:
      return "fewer than two calibration samples";
    case CalibrationError::NotIncreasing:
      return "the counter or CLOCK_MONOTONIC_RAW did not advance";
    case CalibrationError::BracketTooWide:
      return "reference reads too slow for the calibration interval";
  }
  return "unknown calibration error";
}

core::Result<FrequencyEstimate, CalibrationError> estimate_frequency(
    std::span<const CalibrationSample> samples) {
  if (samples.size() < 2) return core::Unexpected{CalibrationError::TooFewSamples};
  std::vector<Point> points;
  points.reserve(samples.size());
  for (const auto& s : samples) {
    if (s.raw_after_ns < s.raw_before_ns) return core::Unexpected{CalibrationError::NotIncreasing};
    points.push_back(to_point(s));
  }
  for (size_t i = 1; i < points.size(); ++i) {
    if (points[i].counter <= points[i - 1].counter || points[i].t_ns <= points[i - 1].t_ns) {
      return core::Unexpected{CalibrationError::NotIncreasing};
    }
  }
  const Point& first = points.front();
  const Point& last = points.back();
  const double span_ns = last.t_ns - first.t_ns;
  const double slack_ns = first.half_width_ns + last.half_width_ns;
  if (slack_ns >= span_ns) return core::Unexpected{CalibrationError::BracketTooWide};
  // Counter deltas stay below 2^53 for any calibration shorter than weeks, so double is exact.
  const double ticks = static_cast<double>(last.counter - first.counter);
  const double hz = ticks / span_ns * 1e9;
  // The bracket bound: the true span lies in span ± slack.
  double uncertainty = hz * slack_ns / (span_ns - slack_ns);
  for (size_t i = 1; i < points.size(); ++i) {
    const double dt = points[i].t_ns - points[i - 1].t_ns;
    const double fi = static_cast<double>(points[i].counter - points[i - 1].counter) / dt * 1e9;
    uncertainty = std::max(uncertainty, std::fabs(fi - hz));
  }
  return FrequencyEstimate{hz, uncertainty};
}

core::Result<FrequencyEstimate, CalibrationError> calibrate_against_monotonic_raw(
    const std::function<uint64_t()>& read_counter, const CalibrationOptions& options) {
  std::vector<CalibrationSample> samples;
  samples.push_back(take_sample(read_counter, options.tries_per_sample));
  for (int i = 0; i < options.intervals; ++i) {
    sleep_ns(options.interval_ns);
    samples.push_back(take_sample(read_counter, options.tries_per_sample));
  }
  return estimate_frequency(samples);
}

}  // namespace ffclock::platform
