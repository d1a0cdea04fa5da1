// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// One source inside the engine: its poll schedule, reachability register, outstanding
// request, kiss-o'-death state, the step-rule miss counter, statistics, and its Estimator.
// The engine (sync_engine.cpp) drives it; this file holds the per-source rules only.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/engine/engine_config.hpp"
#include "core/engine/source_clock.hpp"
#include "core/engine/source_snapshot.hpp"
#include "core/ntp/reply_matcher.hpp"

namespace ffclock::core::engine {

// RFC 5905's 8-bit reachability register: shifted left at every poll, bit 0 set by a reply.
struct Reach {
  uint8_t bits = 0;
  int unanswered = 0;  // polls in a row without a valid reply
  void on_poll() { bits = static_cast<uint8_t>(bits << 1); }
  void on_reply() {
    bits |= 1;
    unanswered = 0;
  }
};

class Source {
 public:
  Source(const SourceConfig& config, std::size_t index, const EstimatorConfig& estimator, uint64_t nominal_hz,
         const SourceClockFactory& make_clock, Duration burst_spacing);

  const SourceConfig& config() const { return config_; }
  SourceClock& estimator() { return *estimator_; }
  const SourceClock& estimator() const { return *estimator_; }
  ReplyMatcher& matcher() { return matcher_; }

  // Poll schedule, in counter ticks.
  [[nodiscard]] bool due(uint64_t counter) const {
    return !demobilized_ && counter - next_poll_ < (uint64_t{1} << 63);
  }
  [[nodiscard]] uint64_t next_poll() const { return next_poll_; }
  // A poll happens now: the register shifts and the next poll is scheduled, `jitter` (a
  // fraction) later than the poll interval.
  void on_poll(uint64_t counter, double jitter);
  void start_burst(uint64_t counter, int exchanges);
  // A reply missed the clock's bound: `exchanges` more, a burst spacing apart (iburst sources
  // not already bursting), so the evidence for or against the clock comes in seconds, not polls.
  void confirm_burst(uint64_t counter, int exchanges);
  void set_poll_log2(int p);
  // New limits; the poll moves inside them at once.
  void set_poll_range(int minpoll, int maxpoll);
  [[nodiscard]] int poll_log2() const { return poll_log2_; }
  [[nodiscard]] bool in_burst() const { return burst_left_ > 0; }

  // The request in flight (nonce, and its send counter once on_sent reported it).
  std::optional<SentRequest> outstanding;
  bool outstanding_sent = false;

  // A valid reply (or system or vmclock sample) was used or refused by the estimator.
  void on_valid_reply(uint64_t counter);
  void on_rejected() { ++rejected_; }
  // RATE: poll half as often (the minimum poll rises a step; it comes back a step per 2
  // good replies without a kiss). DENY/RSTR: stop.
  void on_rate_kiss();
  void demobilize() { demobilized_ = true; }
  [[nodiscard]] bool demobilized() const { return demobilized_; }
  void set_kod(std::string text) { kod_ = std::move(text); }
  // Reachable: a valid reply within the last unreachable_after polls.
  [[nodiscard]] bool reachable(int unreachable_after) const {
    return reach_.unanswered < unreachable_after && reach_.bits != 0;
  }
  [[nodiscard]] const Reach& reach() const { return reach_; }

  // The step rule: the last exchange missed the source's own clock by more than its bound.
  int misses = 0;
  int miss_sign = 0;
  uint64_t first_miss_counter = 0;
  Duration miss_offset;

  // What the sources page shows.
  SourceState state = SourceState::Initializing;
  ServerInfo server;
  std::optional<Duration> last_rtt, min_rtt, offset;
  std::optional<uint64_t> last_update_counter;
  Duration extra_bound;             // the server's own root distance (or the kernel's maxerror)
  bool kernel_synchronized = true;  // system source: the kernel's word
  // vmclock source: the host's own line from its last usable reading (no estimator), and
  // why the last reading could not be used ("" when it could).
  std::optional<ClockParams> host_params;
  std::string unusable;
  LeapIndicator leap = LeapIndicator::None;

  [[nodiscard]] SourceSnapshot snapshot() const;

 private:
  [[nodiscard]] uint64_t ticks(double seconds) const;

  SourceConfig config_;
  EstimatorConfig estimator_config_;
  std::unique_ptr<SourceClock> estimator_;
  double burst_spacing_s_;
  ReplyMatcher matcher_;
  uint64_t nominal_hz_;
  Reach reach_;
  int poll_log2_;
  int min_poll_;  // raised by RATE kisses
  int burst_left_ = 0;
  int good_at_poll_ = 0;     // accepted exchanges at the current poll (poll adaptation)
  int good_since_kiss_ = 0;  // accepted exchanges since the last RATE kiss
  uint64_t next_poll_ = 0;
  bool demobilized_ = false;
  uint64_t exchanges_ = 0;
  uint64_t rejected_ = 0;
  std::string kod_;
};

}  // namespace ffclock::core::engine
