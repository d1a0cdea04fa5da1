// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Hand-made stamps whose truth is known, for the estimator's component tests: a counter 2 ppm
// off its nominal 1 ns period, counter 1 000 000 at true time 0.

#include <cmath>
#include <cstdint>

#include "core/estimator/stamp.hpp"

namespace ffclock::core::estimator::test_stamps {

inline constexpr long double kTrueTick = 1e-9L * (1 + 2e-6L);  // the counter's real period: 2 ppm slow

// A stamp sent at true time t (s since base) over one-way delays up/down; the server holds it
// for `hold`.
inline Stamp stamp_at(double t, double up, double down, double hold = 5e-6) {
  Stamp s;
  s.ta = static_cast<uint64_t>(std::llround(t / kTrueTick)) + 1'000'000;
  s.tf = static_cast<uint64_t>(std::llround((t + up + hold + down) / kTrueTick)) + 1'000'000;
  s.set_server_times(t + up, t + up + hold);
  s.rtt = s.tf - s.ta;
  return s;
}

// Cu with the nominal period 1e-9: it gains 2 ppm on true time... per counted tick it is short.
inline UncorrectedClock nominal_clock() { return UncorrectedClock(1'000'000, 1e-9L); }

}  // namespace ffclock::core::estimator::test_stamps
