// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The latest publication handed from the daemon's thread to the serving threads of a
// `[[server]] threads = N` listener. The daemon thread stores each publication (with the
// refid in effect) under a mutex and bumps a generation; a serving thread copies it only when
// the generation moved, so answering a request takes no lock.

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>

#include "core/page/page_input.hpp"
#include "daemon/page_publisher.hpp"

namespace ffclock::daemon {

struct ServedSource {
  std::optional<core::PageInput> latest;  // nullopt until the first publication
  uint32_t refid = 0;
};

class ServedSnapshot {
 public:
  // The daemon thread, at each publication.
  void store(const core::PageInput& in, uint32_t refid);
  // Any thread: copies the latest into `into` when it changed since `seen` (updated).
  void refresh(uint64_t& seen, ServedSource& into) const;

 private:
  mutable std::mutex mu_;
  std::atomic<uint64_t> generation_{0};
  ServedSource latest_;
};

// The page publisher of a daemon with serving threads: publishes the page, then hands the
// same publication to the threads with the refid in effect (the selection, which the refid
// follows, changes only with a publication).
class SnapshotPublisher final : public PagePublisher {
 public:
  SnapshotPublisher(PagePublisher& inner, ServedSnapshot& snapshot, std::function<uint32_t()> refid)
      : inner_(inner), snapshot_(snapshot), refid_(std::move(refid)) {}
  void publish(const core::PageInput& input) override {
    inner_.publish(input);
    snapshot_.store(input, refid_());
  }

 private:
  PagePublisher& inner_;
  ServedSnapshot& snapshot_;
  std::function<uint32_t()> refid_;
};

}  // namespace ffclock::daemon
