// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The offset fit's view of the stamp history: the six values per stamp that fit_windows()
// reads, one array each, so that its pass over up to 256 stamps per exchange loads two
// stamps per vector instead of gathering eight fields from 112-byte Stamps. It is a copy:
// the estimator syncs every stamp it pushes or rewrites (weight, exclusion, RTT̂).
//
// Each array holds every entry twice, at slot and slot + capacity, so the `capacity` entries
// ending at any index are contiguous. Counters are stored as doubles relative to a base
// counter; below 2⁵³ counts they are exact, and so is the difference of two of them, which
// is then the very value the counter difference converts to.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/estimator/history.hpp"
#include "core/estimator/stamp.hpp"

namespace ffclock::core::estimator {

class FitPoints {
 public:
  FitPoints() = default;
  // A copy of every held entry of `history`, with its capacity.
  explicit FitPoints(const History<Stamp>& history) {
    resize(history.capacity());
    sync_all(history);
  }

  // Empties it and sets the capacity (the history's).
  void resize(std::size_t capacity);
  // Copies entries [first, last] of `history` (all held). Rebases the counters, copying
  // every held entry, when entry `last` is 2⁵² counts or more from the base.
  void sync(const History<Stamp>& history, uint64_t first, uint64_t last);
  // Copies every held entry of `history`.
  void sync_all(const History<Stamp>& history);

  // Whether both copies of every held entry of `history` hold what sync() would write (a
  // check for tests and fuzzing: a stamp rewritten but not synced fails it).
  [[nodiscard]] bool mirrors(const History<Stamp>& history) const;

  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  // Array position of entry `index`: the capacity() entries up to it sit just below it.
  [[nodiscard]] std::size_t position(uint64_t index) const {
    return static_cast<std::size_t>(index % capacity_) + capacity_;
  }
  [[nodiscard]] const double* ta() const { return array(0); }  // counts since the base
  [[nodiscard]] const double* tf() const { return array(1); }
  [[nodiscard]] const double* mid_hi() const { return array(2); }  // Stamp::mid_hi
  [[nodiscard]] const double* mid_lo() const { return array(3); }
  [[nodiscard]] const double* weight() const { return array(4); }  // 0 when excluded
  [[nodiscard]] const double* excess() const { return array(5); }  // RTT − RTT̂, counts

 private:
  static constexpr std::size_t kArrays = 6;
  [[nodiscard]] const double* array(std::size_t a) const { return values_.data() + a * stride_; }
  [[nodiscard]] double* array(std::size_t a) { return values_.data() + a * stride_; }
  [[nodiscard]] std::array<double, kArrays> values_of(const Stamp& s) const;
  void set(uint64_t index, const Stamp& s);

  std::size_t capacity_ = 0;
  // The arrays share one block, each 2·capacity long plus a few doubles, so that the same
  // position in two arrays does not land on the same cache set (4 KiB apart) for any capacity.
  std::size_t stride_ = 0;
  uint64_t base_ = 0;
  std::vector<double> values_;
};

}  // namespace ffclock::core::estimator
