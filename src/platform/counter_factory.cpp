// SPDX-License-Identifier: BSD-2-Clause
// Counter construction by name and the "auto" choice on this machine (see counter_factory.hpp).
#include "platform/counter_factory.hpp"

#include "platform/monotonic_raw_counter.hpp"
#if defined(__x86_64__) || defined(__i386__)
#include "platform/tsc_counter.hpp"
#endif
#if defined(__aarch64__)
#include "platform/cntvct_counter.hpp"
#endif

namespace ffclock::platform {
namespace {

std::string available_list() {
  std::string out;
  for (CounterKind k : compiled_counter_kinds()) {
    if (!out.empty()) out += ", ";
    out += counter_kind_name(k);
  }
  return out;
}

core::Result<std::unique_ptr<Counter>, CounterError> make_kind(CounterKind kind,
                                                               const CounterOptions& options) {
  switch (kind) {
    case CounterKind::MonotonicRaw:
      return std::unique_ptr<Counter>{std::make_unique<MonotonicRawCounter>()};
    case CounterKind::X86Tsc: {
#if defined(__x86_64__) || defined(__i386__)
      CounterFacts facts = probe_tsc({options.clocksource_path, options.calibration});
      if (facts.info.nominal_hz == 0) {
        return core::Unexpected{CounterError{CounterErrorKind::Unusable, "tsc: " + facts.frequency_source}};
      }
      return std::unique_ptr<Counter>{std::make_unique<TscCounter>(std::move(facts))};
#else
      break;
#endif
    }
    case CounterKind::ArmVcnt: {
#if defined(__aarch64__)
      auto counter = std::make_unique<CntvctCounter>();
      if (counter->info().nominal_hz == 0) {
        return core::Unexpected{CounterError{CounterErrorKind::Unusable, "cntvct: " + counter->info().why}};
      }
      return std::unique_ptr<Counter>{std::move(counter)};
#else
      break;
#endif
    }
    case CounterKind::Invalid:
      break;
  }
  (void)options;
  return core::Unexpected{CounterError{CounterErrorKind::Unavailable,
                                       std::string{counter_kind_name(kind)} + ": not available on " +
                                           build_architecture() + " (available: " + available_list() + ")"}};
}

}  // namespace

std::string build_architecture() {
#if defined(__x86_64__)
  return "x86_64";
#elif defined(__i386__)
  return "i386";
#elif defined(__aarch64__)
  return "aarch64";
#else
  return "unknown";
#endif
}

std::vector<CounterKind> compiled_counter_kinds() {
  std::vector<CounterKind> kinds;
#if defined(__x86_64__) || defined(__i386__)
  kinds.push_back(CounterKind::X86Tsc);
#endif
#if defined(__aarch64__)
  kinds.push_back(CounterKind::ArmVcnt);
#endif
  kinds.push_back(CounterKind::MonotonicRaw);
  return kinds;
}

CounterCandidates gather_counter_candidates(const CounterOptions& options) {
  CounterCandidates c;
  if (auto cs = read_kernel_clocksource(options.clocksource_path)) c.kernel_clocksource = cs.value();
#if defined(__x86_64__) || defined(__i386__)
  c.tsc_present = true;
  c.tsc_invariant = tsc_invariant(read_tsc_cpuid());
#endif
#if defined(__aarch64__)
  c.cntvct_present = read_cntfrq() != 0;
#endif
  return c;
}

core::Result<std::unique_ptr<Counter>, CounterError> make_counter(std::string_view kind_or_auto,
                                                                  const CounterOptions& options) {
  if (kind_or_auto == "auto")
    return make_kind(choose_counter(gather_counter_candidates(options)).kind, options);
  const auto kind = parse_counter_kind(kind_or_auto);
  if (!kind) {
    return core::Unexpected{CounterError{
        CounterErrorKind::UnknownName,
        "unknown counter '" + std::string{kind_or_auto} + "' (expected auto, tsc, cntvct or monotonic_raw)"}};
  }
  return make_kind(*kind, options);
}

}  // namespace ffclock::platform
