// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A PagePublisher that passes each publication on, then tells its listeners (the kernel
// discipline runs once per publication this way, without the driver knowing about it).

#include <functional>
#include <utility>
#include <vector>

#include "daemon/page_publisher.hpp"

namespace ffclock::daemon {

class NotifyingPublisher final : public PagePublisher {
 public:
  using Listener = std::function<void(const core::PageInput&)>;
  explicit NotifyingPublisher(PagePublisher& inner) : inner_(inner) {}
  void add_listener(Listener l) { listeners_.push_back(std::move(l)); }
  void publish(const core::PageInput& input) override {
    inner_.publish(input);  // the page first: listeners may read it
    for (const auto& l : listeners_) l(input);
  }

 private:
  PagePublisher& inner_;
  std::vector<Listener> listeners_;
};

}  // namespace ffclock::daemon
