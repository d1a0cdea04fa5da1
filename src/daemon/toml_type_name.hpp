// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// How a TOML value's type is named in configuration errors ("must be a string, not an
// integer"): one wording for ffclockd's parser and the CLI's reading of the same file.

#include <toml++/toml.h>

namespace ffclock::daemon {

inline const char* toml_type_name(toml::node_type t) {
  switch (t) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

}  // namespace ffclock::daemon
