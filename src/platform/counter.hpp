// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The raw hardware counter the daemon stamps exchanges with. It is never steered.
//
// Implementations: x86 TSC, Arm CNTVCT_EL0, CLOCK_MONOTONIC_RAW in nanoseconds (portable and
// what the clknetsim simulator intercepts), and FakeCounter for tests.

#include <cstdint>
#include <string>

namespace ffclock::platform {

// The vmclock ABI's counter_id values, plus one ffclock uses for the portable source.
enum class CounterKind : uint8_t {
  ArmVcnt = 0,
  X86Tsc = 1,
  MonotonicRaw = 0xFE,  // not a vmclock id: pages with it are ffclock-only
  Invalid = 0xFF,
};

struct CounterInfo {
  std::string name;  // "tsc", "cntvct", "monotonic_raw", "fake"
  CounterKind kind = CounterKind::Invalid;
  uint64_t nominal_hz = 0;   // 0 when unknown
  bool trustworthy = false;  // invariant, constant rate, not stopped in idle
  std::string why;           // one line: what the trust decision rests on
};

class Counter {
 public:
  virtual ~Counter() = default;
  // An ordered read: not executed before earlier loads complete.
  virtual uint64_t read() = 0;
  virtual CounterInfo info() const = 0;
};

// A counter the test sets by hand.
class FakeCounter final : public Counter {
 public:
  explicit FakeCounter(uint64_t start = 0, uint64_t nominal_hz = 1'000'000'000)
      : value_(start), hz_(nominal_hz) {}
  uint64_t read() override { return value_; }
  CounterInfo info() const override { return {"fake", CounterKind::Invalid, hz_, true, "test double"}; }
  void set(uint64_t v) { value_ = v; }
  void advance(uint64_t ticks) { value_ += ticks; }

 private:
  uint64_t value_;
  uint64_t hz_;
};

}  // namespace ffclock::platform
