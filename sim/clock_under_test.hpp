// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// What the simulator puts behind each source of the sync engine: anything that takes
// exchanges and publishes ClockParams (the engine's SourceClock). The product's is
// core::Estimator (estimator_clock.hpp); a naive two-point clock (naive_clock.hpp) is the
// baseline and the exactly-predictable test double.

#include "core/engine/source_clock.hpp"

namespace ffclock::sim {

using ClockUnderTest = core::engine::SourceClock;

}  // namespace ffclock::sim
