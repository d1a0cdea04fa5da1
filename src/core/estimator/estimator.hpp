#pragma once
// The feed-forward estimator (RADclock's algorithm): fed one Exchange at a time, it estimates
// the counter period, the local period and the clock offset, with error bounds. Pure and
// sans-IO: no clocks are read; every input arrives as an argument. Memory is fixed at
// construction (circular histories sized by the windows); add() does not allocate.

#include <cstdint>
#include <optional>

#include "core/clock_params.hpp"
#include "core/estimator/estimator_config.hpp"
#include "core/exchange.hpp"

namespace ffclock::core {

// Why the last exchange was or was not used.
enum class ExchangeVerdict : uint8_t {
  Used,              // entered the histories and updated the estimates
  UsedWarmUp,        // entered the histories during warm-up
  RejectedInsane,    // malformed: zero field, Tf < Ta, Te < Tb, counter went back, duplicate
  RejectedServer,    // server unsynchronized (LI 3) or stratum 0/16
  KeptOldPeriod,     // period candidate failed the quality or sanity gate
  KeptOldOffset,     // offset candidate failed the quality or sanity gate
  ServerChanged,     // stratum/refid/leap changed: histories updated, estimates frozen
};

struct EstimatorDiagnostics {
  ExchangeVerdict last_verdict = ExchangeVerdict::RejectedInsane;
  uint64_t exchanges = 0;           // accepted into the histories
  uint64_t rejected = 0;
  Duration offset;                  // θ̂
  Duration min_rtt;                 // RTT̂ in seconds (p̂ · counts)
  uint64_t min_rtt_ticks = 0;
  uint64_t level_shifts_up = 0;     // upward RTT level shifts detected
  uint64_t period_sanity_rejects = 0;
  uint64_t offset_sanity_rejects = 0;
};

class Estimator {
 public:
  explicit Estimator(const EstimatorConfig& config);

  // Feeds one exchange; returns the verdict for it.
  ExchangeVerdict add(const Exchange& exchange);

  // Current parameters, or nullopt until enough exchanges (RADclock's NTP_BURST) arrived.
  std::optional<ClockParams> params() const;
  const EstimatorDiagnostics& diagnostics() const { return diag_; }

  // Poll interval changed: windows and thresholds are recomputed, histories are kept.
  void set_poll(int poll_s);
  // Disruption (migration, counter jump, resume): forget everything and re-acquire.
  void reset();

 private:
  EstimatorDiagnostics diag_;
  // Implementation state lives here (owned by the estimator's .cpp).
};

}  // namespace ffclock::core
