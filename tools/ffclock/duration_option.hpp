// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A CLI11 option whose value is a duration with a unit ("500us", "1ms", "60s"), parsed
// strictly by core::parse_duration; a bad value is a usage error naming the option.

#include <functional>
#include <string>

#include "ffclock/time.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace ffclock::tool {

// `set` receives the parsed value.
CLI::Option* add_duration_option(CLI::App& cmd, const std::string& name, std::function<void(Duration)> set,
                                 const std::string& help);

}  // namespace ffclock::tool
