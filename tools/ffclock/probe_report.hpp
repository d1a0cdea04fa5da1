// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The two renderings of a MachineProbe for `ffclock probe`: an aligned text table and JSON.

#include <nlohmann/json.hpp>
#include <string>

#include "platform/machine_probe.hpp"

namespace ffclock::tool {

[[nodiscard]] nlohmann::json probe_to_json(const platform::MachineProbe& probe);
[[nodiscard]] std::string probe_to_text(const platform::MachineProbe& probe);

}  // namespace ffclock::tool
