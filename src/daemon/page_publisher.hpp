// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Where the driver publishes the clock page: the real PageWriter over the page file, or a
// recording fake in tests.

#include <vector>

#include "core/page/page_input.hpp"
#include "platform/page_writer.hpp"

namespace ffclock::daemon {

class PagePublisher {
 public:
  virtual ~PagePublisher() = default;
  virtual void publish(const core::PageInput& input) = 0;
};

class PageWriterPublisher final : public PagePublisher {
 public:
  explicit PageWriterPublisher(platform::PageWriter writer) : writer_(std::move(writer)) {}
  void publish(const core::PageInput& input) override { writer_.publish(input); }
  [[nodiscard]] const platform::PageWriter& writer() const { return writer_; }

 private:
  platform::PageWriter writer_;
};

class RecordingPublisher final : public PagePublisher {
 public:
  void publish(const core::PageInput& input) override { published.push_back(input); }
  std::vector<core::PageInput> published;
};

}  // namespace ffclock::daemon
