// SPDX-License-Identifier: BSD-2-Clause
// Reading the clock page for the reporting commands (see page_view.hpp).
#include "page_view.hpp"

#include <fmt/format.h>

#include "core/page/page_codec.hpp"
#include "exit_codes.hpp"
#include "ffclock/page_math.hpp"
#include "input_file.hpp"

namespace ffclock::tool {

Clock open_clock_page(const std::string& path, const CliEnv& env) {
  // Mapping a FIFO or a device would block or map the wrong thing: refuse anything but a file.
  if (exists_but_not_regular(path))
    throw CommandError(kExitUsage, path + ": not a regular file (a clock page)");
  auto clock = Clock::open(path, env.clock_options);
  if (!clock) {
    const OpenError e = clock.error();
    const int code = e == OpenError::NotFound ? kExitNotUsable : kExitUsage;
    const char* hint = e == OpenError::NotFound ? " (is ffclockd running?)" : "";
    throw CommandError(code, fmt::format("{}: {}{}", path, to_string(e), hint));
  }
  return std::move(clock).value();
}

PageView read_page_view(const Clock& clock, const CliEnv& env) {
  const auto reading = clock.read();
  if (!reading) throw CommandError(kExitNotUsable, to_string(reading.error()));
  const auto snap = clock.snapshot();
  if (!snap) throw CommandError(kExitNotUsable, to_string(snap.error()));
  const ffclock_page& page = *snap;
  // The region size was validated when the page was opened; the snapshot holds the fields.
  const auto decoded = core::decode_page(page, page.vmclock.size);
  if (!decoded) throw CommandError(kExitUsage, core::to_string(decoded.error()));
  const core::PageInput& in = decoded->input;
  const ffclock_vmclock_abi& v = page.vmclock;

  PageView view;
  view.reading = *reading;
  const uint64_t c = reading->counter;
  // The estimated error ages like the bound, at the estimated rate error (docs/page.md).
  if (v.flags & FFCLOCK_FLAG_TIME_ESTERROR_VALID) {
    const uint64_t rate =
        (v.flags & FFCLOCK_FLAG_PERIOD_ESTERROR_VALID) ? v.counter_period_esterror_rate_frac_sec : 0;
    view.esterror = Duration::from_fixed(
        page_math::maxerror_at(c, v.counter_value, v.time_esterror_nanosec, rate, v.counter_period_shift));
  }
  view.counter_id = v.counter_id;
  view.period = in.params.period;
  view.local_period = in.params.local_period;
  if (env.nominal_hz) view.nominal_hz = env.nominal_hz(v.counter_id);
  if (v.flags & FFCLOCK_FLAG_PERIOD_ESTERROR_VALID) view.rate_esterror = in.params.period_esterror_rel;
  if (v.flags & FFCLOCK_FLAG_PERIOD_MAXERROR_VALID) view.rate_maxerror = in.params.period_maxerror_rel;
  const uint64_t last = decoded->heartbeat_counter != 0 ? decoded->heartbeat_counter : v.counter_value;
  view.since_update = in.params.local_period.ticks_to_duration(static_cast<int64_t>(c - last));
  view.publications = decoded->state.heartbeat_count;
  view.stratum = in.source.stratum;
  view.refid = in.source.refid;
  view.root_delay = in.source.root_delay;
  view.root_dispersion = in.source.root_dispersion;
  view.tai_offset_valid = in.tai_offset_known;
  view.leap_table_expired = in.leap_table_expired;
  if (const auto mono = clock.monotonic()) view.monotonic = *mono;
  return view;
}

double period_ppm(CounterPeriod period, uint64_t nominal_hz) {
  return static_cast<double>((period.to_seconds() * static_cast<long double>(nominal_hz) - 1.0L) * 1e6L);
}

std::string refid_text(uint32_t refid, uint8_t stratum) {
  if (refid == 0) return "";
  const unsigned char b[4] = {static_cast<unsigned char>(refid >> 24),
                              static_cast<unsigned char>(refid >> 16), static_cast<unsigned char>(refid >> 8),
                              static_cast<unsigned char>(refid)};
  // ASCII at stratum 0/1 (reference clocks: "GPS", "SYS", "VMCL", kiss codes) and at 16
  // (unsynchronized: "INIT", or this daemon's "SYS" over a kernel nobody disciplines), as
  // ntpq and chronyc show them; an address above.
  if (stratum <= 1 || stratum >= 16) {
    std::string text;
    for (unsigned char ch : b) {
      if (ch == 0) break;
      if (ch < 0x20 || ch > 0x7e) return fmt::format("0x{:08x}", refid);
      text.push_back(static_cast<char>(ch));
    }
    return text;
  }
  return fmt::format("{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
}

}  // namespace ffclock::tool
