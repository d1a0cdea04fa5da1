// SPDX-License-Identifier: BSD-2-Clause
// Fuzzes the page decoder and the writer's restart path over arbitrary page bytes: a page
// that decodes re-encodes to one that decodes to the same contents; a writer restarted on
// any file either continues it or replaces it, and its next publication reads back.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/page/page_codec.hpp"
#include "ffclock/clock.hpp"
#include "platform/page_writer.hpp"

namespace {
using namespace ffclock;

void check(bool ok) {
  if (!ok) std::abort();
}

struct alignas(64) PageBytes {
  unsigned char bytes[FFCLOCK_PAGE_SIZE];
};

uint64_t read_fake(void* ctx) { return static_cast<platform::FakeCounter*>(ctx)->read(); }

const std::string& scratch_path() {
  static const std::string path = [] {
    char tmpl[] = "/tmp/ffclock-fuzz-page-XXXXXX";
    const char* dir = mkdtemp(tmpl);
    return std::string(dir != nullptr ? dir : "/tmp") + "/page";
  }();
  return path;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static PageBytes page;
  std::memset(page.bytes, 0, sizeof page.bytes);
  const size_t n = size < sizeof page.bytes ? size : sizeof page.bytes;
  std::memcpy(page.bytes, data, n);
  ffclock_page value{};
  std::memcpy(&value, page.bytes, sizeof value);

  // Decoder: decode -> encode -> decode keeps the contents.
  if (const auto d = core::decode_page(value, FFCLOCK_PAGE_SIZE)) {
    const auto e = core::encode_page(d->input, d->state, d->input.params.anchor_counter);
    const auto d2 = core::decode_page(e.page, FFCLOCK_PAGE_SIZE);
    check(d2.has_value());
    check(d2->input.counter_id == d->input.counter_id);
    check(d2->input.tai_offset_known == d->input.tai_offset_known);
    check(d2->input.params.anchor_counter == d->input.params.anchor_counter);
    check(d2->input.source.stratum == d->input.source.stratum);
    check(d2->state.step_generation - d->state.step_generation <= 1);  // +1 on a step, wrapping
    check(d2->state.heartbeat_count == d->state.heartbeat_count + 1);
  }

  // Restart path: the writer opens a file holding these bytes.
  const std::string& path = scratch_path();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return 0;
  const bool whole = ::write(fd, page.bytes, sizeof page.bytes) == static_cast<ssize_t>(sizeof page.bytes);
  ::close(fd);
  if (!whole) return 0;
  platform::FakeCounter counter(1'000'000'000'000ull);
  auto w = platform::PageWriter::open_file(path, counter);
  check(w.has_value());
  core::PageInput in;
  in.params.anchor_counter = counter.read();
  in.params.anchor_time = UtcTime::from_unix(1'790'000'000);
  in.params.period = in.params.local_period = CounterPeriod::from_seconds(1e-9L);
  in.params.time_maxerror = Duration::microseconds(100);
  in.params.status = core::SyncStatus::Synchronized;
  in.counter_id = FFCLOCK_COUNTER_X86_TSC;
  in.tai_offset_known = true;
  in.tai_minus_utc = 37;
  w.value().publish(in);
  ClockOptions o;
  o.host_vmclock_path.clear();
  o.counter = &read_fake;
  o.counter_ctx = &counter;
  auto clock = Clock::open(path, o);
  check(clock.has_value());
  const auto r = clock->now();
  check(r.has_value() && r->utc == UtcTime::from_unix(1'790'000'000));
  (void)clock->monotonic();
  return 0;
}
