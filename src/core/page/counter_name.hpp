// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The names of the page's counter ids as configuration, logs and the CLI spell them.

#include <cstdint>
#include <string>

#include "ffclock/page.h"

namespace ffclock::core {

[[nodiscard]] inline std::string counter_id_name(uint8_t id) {
  switch (id) {
    case FFCLOCK_COUNTER_X86_TSC:
      return "tsc";
    case FFCLOCK_COUNTER_ARM_VCNT:
      return "cntvct";
    case FFCLOCK_COUNTER_MONOTONIC_RAW:
      return "monotonic_raw";
    case FFCLOCK_COUNTER_INVALID:
      return "invalid";
    default:
      return "counter " + std::to_string(id);
  }
}

}  // namespace ffclock::core
