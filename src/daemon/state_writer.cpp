// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/state_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "core/state/calibration_state.hpp"
#include "platform/atomic_file.hpp"
#include "runtime/block_device.hpp"
#include "runtime/linux/linux_backend.hpp"

namespace ffclock::daemon {

namespace {

struct PendingWrite {
  std::string tmp;
  std::unique_ptr<runtime::BlockDevice> dev;
  std::vector<std::byte> pages;  // the text, then zeros to the page boundary
};

core::Result<PendingWrite, std::string> open_pending(runtime::Scheduler& sched, const std::string& path,
                                                     const std::string& text) {
  auto fail = [&](const std::string& what) {
    return core::Unexpected{fmt::format("state file {}: {}", path, what)};
  };
  if (text.size() > core::kMaxStateFileBytes) return fail("larger than a state file can be");
  if (auto d = platform::make_parent_directories(path); !d) return fail(platform::describe(d.error()));
  PendingWrite w;
  w.tmp = path + ".tmp";
  // A leftover from a crash mid-save may have any size: start from an empty file.
  if (auto r = platform::remove_if_present(w.tmp); !r) return fail(platform::describe(r.error()));
  const std::size_t n = std::max<std::size_t>(1, (text.size() + kStatePageBytes - 1) / kStatePageBytes);
  auto store = runtime::linux_os::LinuxBackend::open_block_file(w.tmp, kStatePageBytes, n);
  if (!store) return fail(runtime::describe(store.error()));
  w.dev = std::make_unique<runtime::BlockDevice>(sched, std::move(store).value());
  w.pages.assign(n * kStatePageBytes, std::byte{0});
  std::memcpy(w.pages.data(), text.data(), text.size());
  return w;
}

std::optional<std::string> commit(const std::string& path, PendingWrite& w,
                                  const core::Result<runtime::Unit, runtime::BlockError>& written) {
  w.dev.reset();  // closes the file before the sync and rename
  if (!written) {
    (void)platform::remove_if_present(w.tmp);
    return fmt::format("state file {}: {}", path, runtime::describe(written.error()));
  }
  if (auto c = platform::commit_replacement(w.tmp, path); !c) {
    return fmt::format("state file {}: {}", path, platform::describe(c.error()));
  }
  return std::nullopt;
}

}  // namespace

runtime::Task<std::optional<std::string>> write_state(runtime::Scheduler& sched, std::string path,
                                                      std::string text) {
  auto opened = open_pending(sched, path, text);
  if (!opened) co_return opened.error();
  PendingWrite w = std::move(opened).value();
  const auto written = co_await w.dev->write(0, w.pages);
  co_return commit(path, w, written);
}

std::optional<std::string> write_state_now(runtime::Scheduler& sched, const std::string& path,
                                           const std::string& text) {
  auto opened = open_pending(sched, path, text);
  if (!opened) return opened.error();
  PendingWrite w = std::move(opened).value();
  const auto written = w.dev->atomic_write(0, w.pages);
  return commit(path, w, written);
}

}  // namespace ffclock::daemon
