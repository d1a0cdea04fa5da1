// `ffclock now`: read the shared clock page once and print time, bounds, status, leap state
// and the monotonic clock (or JSON). Exit status 1 when the page cannot be opened or read.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "command_registry.hpp"
#include "core/time/rfc3339.hpp"
#include "ffclock/clock.hpp"

namespace ffclock::tool {
namespace {

struct NowArgs {
  std::string page = kDefaultPagePath;
  std::string host_vmclock = kDefaultHostVmclockPath;
  bool json = false;
};

const char* status_name(ClockStatus s) {
  switch (s) {
    case ClockStatus::Unknown: return "unknown";
    case ClockStatus::Initializing: return "initializing";
    case ClockStatus::Synchronized: return "synchronized";
    case ClockStatus::FreeRunning: return "freerunning";
    case ClockStatus::Unreliable: return "unreliable";
    case ClockStatus::Disrupted: return "disrupted";
  }
  return "?";
}

const char* leap_name(LeapState s) {
  switch (s) {
    case LeapState::None: return "none";
    case LeapState::PendingInsert: return "pending-insert";
    case LeapState::PendingDelete: return "pending-delete";
    case LeapState::Inserting: return "inserting";
    case LeapState::PostInsert: return "post-insert";
    case LeapState::PostDelete: return "post-delete";
  }
  return "?";
}

std::string tai_text(TaiTime t) {
  // RFC 3339 text of the TAI reading, labelled as TAI rather than Z.
  std::string s = core::format_rfc3339(UtcTime::from_fixed(t.fixed()));
  if (!s.empty() && s.back() == 'Z') s.back() = ' ';
  return s + "TAI";
}

void run_now(const NowArgs& args) {
  ClockOptions options;
  options.host_vmclock_path = args.host_vmclock;
  auto clock = Clock::open(args.page, options);
  if (!clock) {
    fmt::print(stderr, "ffclock now: {}: {}\n", args.page, to_string(clock.error()));
    throw CLI::RuntimeError(1);
  }
  const auto r = clock->now();
  if (!r) {
    fmt::print(stderr, "ffclock now: {}\n", to_string(r.error()));
    throw CLI::RuntimeError(1);
  }
  const auto mono = clock->monotonic();
  const double mono_s = mono ? mono->to_seconds() : 0.0;
  const double bound_us = r->maxerror.to_seconds() * 1e6;
  if (args.json) {
    nlohmann::json j;
    j["utc"] = core::format_rfc3339(r->utc);
    j["tai"] = tai_text(r->tai);
    j["earliest"] = core::format_rfc3339(r->earliest);
    j["latest"] = core::format_rfc3339(r->latest);
    j["maxerror_ns"] = r->maxerror.to_nanoseconds();
    j["status"] = status_name(r->status);
    j["leap"] = leap_name(r->leap);
    j["tai_minus_utc"] = r->tai_minus_utc;
    j["counter"] = r->counter;
    j["step_generation"] = r->step_generation;
    if (mono) j["monotonic_s"] = mono_s;
    j["host_vmclock"] = clock->has_host_vmclock();
    fmt::print("{}\n", j.dump(2));
    return;
  }
  fmt::print("utc        {}\n", core::format_rfc3339(r->utc));
  fmt::print("tai        {}\n", tai_text(r->tai));
  fmt::print("bound      +-{:.3f} us [{} .. {}]\n", bound_us, core::format_rfc3339(r->earliest, 6),
             core::format_rfc3339(r->latest, 6));
  fmt::print("status     {}{}\n", status_name(r->status), clock->has_host_vmclock() ? " (host vmclock checked)" : "");
  fmt::print("leap       {} (TAI-UTC {})\n", leap_name(r->leap), r->tai_minus_utc);
  if (mono) fmt::print("monotonic  {:.9f} s\n", mono_s);
  fmt::print("steps      {}\n", r->step_generation);
}

void add_now_command(CLI::App& app) {
  auto args = std::make_shared<NowArgs>();
  CLI::App* cmd = app.add_subcommand("now", "Read the published clock: time, bounds, status, leap state");
  cmd->add_option("--page", args->page, "Clock page path")->capture_default_str();
  cmd->add_option("--host-vmclock", args->host_vmclock, "Host vmclock device (\"\" to skip the check)")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args] { run_now(*args); });
}

const CommandRegistration kNow{"now", add_now_command};

}  // namespace
}  // namespace ffclock::tool
