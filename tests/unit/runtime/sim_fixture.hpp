// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A scheduler on the simulated backend, with a counter that reads virtual time (1 tick per
// simulated nanosecond from 0), for the runtime tests.

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

#include "runtime/scheduler.hpp"
#include "runtime/sim/sim_backend.hpp"

namespace ffclock::runtime::testing {

class SimFixture : public ::testing::Test {
 public:
  static MonoTime at_ms(int64_t ms) { return mono_from_ns(1'000'000'000 + ms * 1'000'000); }
  static int64_t ms_since_start(MonoTime t) { return (mono_to_ns(t) - 1'000'000'000) / 1'000'000; }

 protected:
  sim::SimBackend backend{mono_from_ns(1'000'000'000)};
  sim::SimCounter counter{backend, 1'000'000'000, 0};
  Scheduler sched{backend, counter};
};

inline std::vector<std::byte> bytes_of(const std::string& s) {
  std::vector<std::byte> v(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) v[i] = static_cast<std::byte>(s[i]);
  return v;
}

inline std::string string_of(std::span<const std::byte> b) {
  std::string s(b.size(), '\0');
  for (std::size_t i = 0; i < b.size(); ++i) s[i] = static_cast<char>(b[i]);
  return s;
}

}  // namespace ffclock::runtime::testing
