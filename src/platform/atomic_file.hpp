// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Small files other processes read while the daemon rewrites them (the sources page):
// written to `<path>.tmp` and renamed over `path`, so a reader sees the old or the new
// content, never a mix. And the directories such files live in, created when missing.

#include <string>
#include <string_view>
#include <variant>

#include "core/result.hpp"
#include "platform/sys_error.hpp"

namespace ffclock::platform {

using Done = std::monostate;

// Replaces `path` with `text` (mode 0644) through `<path>.tmp` and rename.
[[nodiscard]] core::Result<Done, SysError> write_file_atomically(const std::string& path,
                                                                 std::string_view text);
// The same, durable: the temporary file is synced before the rename and the directory after
// it, so a crash leaves the old file or the new one, never a torn or empty one.
[[nodiscard]] core::Result<Done, SysError> write_file_durably(const std::string& path, std::string_view text);
// The end of a durable replacement whose content was written by other means (the state file,
// through the runtime's Block device): syncs `tmp`, renames it over `path`, syncs the directory.
// On failure `tmp` is removed and `path` is untouched.
[[nodiscard]] core::Result<Done, SysError> commit_replacement(const std::string& tmp,
                                                              const std::string& path);
// Removes `path` if it exists (a leftover temporary file); a missing file is not an error.
[[nodiscard]] core::Result<Done, SysError> remove_if_present(const std::string& path);

// Creates the directory that holds `path`, and its missing parents, with mode 0755
// (an existing directory is fine). A path without a directory part needs nothing.
[[nodiscard]] core::Result<Done, SysError> make_parent_directories(const std::string& path);

}  // namespace ffclock::platform
