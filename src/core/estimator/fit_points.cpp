// SPDX-License-Identifier: BSD-2-Clause
#include "core/estimator/fit_points.hpp"

#include <algorithm>
#include <bit>

namespace ffclock::core::estimator {

namespace {
constexpr uint64_t kRebaseAt = uint64_t{1} << 52;

uint64_t magnitude(uint64_t counter, uint64_t base) {
  const auto d = static_cast<int64_t>(counter - base);
  return d < 0 ? uint64_t{0} - static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
}
}  // namespace

void FitPoints::resize(std::size_t capacity) {
  capacity_ = std::max<std::size_t>(1, capacity);
  stride_ = 2 * capacity_ + ((2 * capacity_) % 512 < 8 ? 24 : 8);
  values_.assign(kArrays * stride_, 0.0);
}

std::array<double, FitPoints::kArrays> FitPoints::values_of(const Stamp& s) const {
  return {static_cast<double>(static_cast<int64_t>(s.ta - base_)),
          static_cast<double>(static_cast<int64_t>(s.tf - base_)),
          s.mid_hi,
          s.mid_lo,
          s.excluded ? 0.0 : s.weight,
          static_cast<double>(s.rtt - s.rtt_hat)};
}

void FitPoints::set(uint64_t index, const Stamp& s) {
  const auto lo = static_cast<std::size_t>(index % capacity_);
  const auto v = values_of(s);
  for (std::size_t a = 0; a < kArrays; ++a) {
    array(a)[lo] = v[a];
    array(a)[lo + capacity_] = v[a];
  }
}

bool FitPoints::mirrors(const History<Stamp>& history) const {
  if (capacity_ < history.capacity()) return false;
  for (uint64_t j = history.begin(); j < history.end(); ++j) {
    const auto lo = static_cast<std::size_t>(j % capacity_);
    const auto v = values_of(history.at(j));
    for (std::size_t a = 0; a < kArrays; ++a) {
      // Bitwise: −0 and NaN are values too.
      if (std::bit_cast<uint64_t>(array(a)[lo]) != std::bit_cast<uint64_t>(v[a]) ||
          std::bit_cast<uint64_t>(array(a)[lo + capacity_]) != std::bit_cast<uint64_t>(v[a]))
        return false;
    }
  }
  return true;
}

void FitPoints::sync(const History<Stamp>& history, uint64_t first, uint64_t last) {
  if (first > last) return;
  if (magnitude(history.at(last).tf, base_) >= kRebaseAt) {
    base_ = history.at(last).ta;
    first = history.begin();  // every held entry moves with the base
  }
  for (uint64_t j = first; j <= last; ++j) set(j, history.at(j));
}

void FitPoints::sync_all(const History<Stamp>& history) {
  if (!history.empty()) sync(history, history.begin(), history.end() - 1);
}

}  // namespace ffclock::core::estimator
