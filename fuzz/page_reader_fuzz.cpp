// SPDX-License-Identifier: BSD-2-Clause
// Fuzzes the header-only reader over arbitrary page bytes: every read gives a value whose
// invariants hold (earliest <= utc <= latest, bounds within kUnbounded, instants that format
// as RFC 3339 and parse back) or a clear error; never a crash, a hang or undefined behaviour.
// now() and now_fast() give exactly read()'s UTC, bound and status, or its error.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/time/rfc3339.hpp"
#include "ffclock/clock.hpp"

namespace {
using namespace ffclock;

void check(bool ok) {
  if (!ok) std::abort();
}

struct alignas(64) PageBytes {
  unsigned char bytes[FFCLOCK_PAGE_SIZE];
};

uint64_t read_input_counter(void* ctx) { return *static_cast<uint64_t*>(ctx); }

void check_instant(UtcTime t) {
  check(t >= kMinReadableTime && t <= kMaxReadableTime);
  const std::string text = core::format_rfc3339(t);
  const auto back = core::parse_rfc3339(text);
  check(back.has_value());
  check(abs(*back - t) <= Duration::nanoseconds(1));
}
}  // namespace

// Input: 8 bytes of counter value, 2 bytes of region size, then the page bytes.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 10) return 0;
  uint64_t counter = 0;
  std::memcpy(&counter, data, 8);
  uint16_t region = 0;
  std::memcpy(&region, data + 8, 2);
  data += 10;
  size -= 10;
  static PageBytes page;
  std::memset(page.bytes, 0, sizeof page.bytes);
  std::memcpy(page.bytes, data, size < sizeof page.bytes ? size : sizeof page.bytes);
  const size_t region_size = region % (FFCLOCK_PAGE_SIZE + 1);

  ClockOptions o;
  o.host_vmclock_path.clear();
  o.counter = &read_input_counter;
  o.counter_ctx = &counter;
  o.spin_timeout = Duration::zero();  // an odd sequence: give up after one round of attempts
  auto clock = Clock::over_memory(page.bytes, region_size, o);
  if (!clock) {
    check(to_string(clock.error())[0] != '\0');
    return 0;
  }
  const auto r = clock->read();
  // now() and now_fast() are read()'s projections at the same counter value: the inline
  // common case and the fallback must agree on every page.
  const auto bounded = clock->now();
  const auto fast = clock->now_fast();
  check(bounded.has_value() == r.has_value() && fast.has_value() == r.has_value());
  if (r) {
    check(bounded->utc == r->utc && bounded->maxerror == r->maxerror && bounded->status == r->status);
    check(bounded->earliest() == r->earliest && bounded->latest() == r->latest);
    check(fast->utc == r->utc && fast->status == r->status);
  } else {
    check(bounded.error() == r.error() && fast.error() == r.error());
  }
  if (r) {
    check(r->earliest <= r->utc && r->utc <= r->latest);
    check(r->maxerror >= Duration::zero() && r->maxerror <= kUnbounded);
    check(r->esterror >= Duration::zero() && r->esterror <= kUnbounded);
    check(r->counter == counter);
    check_instant(r->earliest);
    check_instant(r->latest);
    check_instant(r->utc);
    (void)r->maxerror.to_nanoseconds();
    (void)r->tai.split_nanos();
  } else {
    check(to_string(r.error())[0] != '\0');
  }
  for (SmearKind k : {SmearKind::None, SmearKind::NoonLinear, SmearKind::UtcSls, SmearKind::Cosine}) {
    if (const auto s = clock->smeared(k)) (void)s->split_nanos();
  }
  if (const auto m = clock->monotonic()) (void)m->to_nanoseconds();
  if (const auto e = clock->elapsed(counter, ~counter)) (void)e->to_nanoseconds();
  if (const auto p = clock->snapshot()) check(std::memcmp(&p->ext, page.bytes + 112, sizeof p->ext) == 0);
  return 0;
}
