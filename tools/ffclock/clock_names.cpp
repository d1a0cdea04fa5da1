// SPDX-License-Identifier: BSD-2-Clause
// Names of the reader's enums for output (see clock_names.hpp).
#include "clock_names.hpp"

#include "core/page/counter_name.hpp"

namespace ffclock::tool {

const char* status_name(ClockStatus s) {
  switch (s) {
    case ClockStatus::Unknown:
      return "unknown";
    case ClockStatus::Initializing:
      return "initializing";
    case ClockStatus::Synchronized:
      return "synchronized";
    case ClockStatus::FreeRunning:
      return "freerunning";
    case ClockStatus::Unreliable:
      return "unreliable";
    case ClockStatus::Disrupted:
      return "disrupted";
  }
  return "unknown";
}

const char* leap_name(LeapState s) {
  switch (s) {
    case LeapState::None:
      return "none";
    case LeapState::PendingInsert:
      return "pending-insert";
    case LeapState::PendingDelete:
      return "pending-delete";
    case LeapState::Inserting:
      return "inserting";
    case LeapState::PostInsert:
      return "post-insert";
    case LeapState::PostDelete:
      return "post-delete";
  }
  return "none";
}

std::string counter_name(uint8_t counter_id) { return core::counter_id_name(counter_id); }

const char* smear_name(SmearKind k) {
  switch (k) {
    case SmearKind::None:
      return "none";
    case SmearKind::NoonLinear:
      return "noon-linear";
    case SmearKind::UtcSls:
      return "utc-sls";
    case SmearKind::Cosine:
      return "cosine";
  }
  return "none";
}

bool usable(const ClockReading& r) {
  return (r.status == ClockStatus::Synchronized || r.status == ClockStatus::FreeRunning) &&
         r.maxerror < kUnbounded;
}

bool synchronized_within(const ClockReading& r, Duration max_error) {
  return r.status == ClockStatus::Synchronized && r.maxerror <= max_error;
}

}  // namespace ffclock::tool
