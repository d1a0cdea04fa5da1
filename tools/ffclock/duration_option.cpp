// SPDX-License-Identifier: BSD-2-Clause
// Duration-valued options (see duration_option.hpp).
#include "duration_option.hpp"

#include "common/cli11.hpp"
#include "core/time/duration_text.hpp"

namespace ffclock::tool {

CLI::Option* add_duration_option(CLI::App& cmd, const std::string& name, std::function<void(Duration)> set,
                                 const std::string& help) {
  auto* opt = cmd.add_option_function<std::string>(
      name,
      [set = std::move(set), name](const std::string& text) {
        const auto d = core::parse_duration(text);
        if (!d) throw CLI::ValidationError(name, "\"" + text + "\": " + core::to_string(d.error()));
        set(*d);
      },
      help);
  opt->type_name("DURATION");
  return opt;
}

}  // namespace ffclock::tool
