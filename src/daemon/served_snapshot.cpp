// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/served_snapshot.hpp"

namespace ffclock::daemon {

void ServedSnapshot::store(const core::PageInput& in, uint32_t refid) {
  const std::lock_guard lock(mu_);
  latest_.latest = in;
  latest_.refid = refid;
  generation_.fetch_add(1, std::memory_order_release);
}

void ServedSnapshot::refresh(uint64_t& seen, ServedSource& into) const {
  if (generation_.load(std::memory_order_acquire) == seen) return;
  const std::lock_guard lock(mu_);
  into = latest_;
  seen = generation_.load(std::memory_order_relaxed);
}

}  // namespace ffclock::daemon
