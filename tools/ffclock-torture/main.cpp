// SPDX-License-Identifier: BSD-2-Clause
// ffclock-torture: a cross-process seqlock torture run of the clock page with this machine's
// native counter (the TSC on x86), so that a missing fence in the reader or the writer could
// actually show (the unit torture test runs under TSan with a counter function instead).
//
// A writer process publishes into a page file as fast as it can: the period changes by up to
// +-200 ppm every publication (each line continues the previous one, so time is continuous
// between steps), absolute time steps by seconds every ~100 publications, and
// two pairs of fields are kept in a fixed relation so that a torn snapshot is detectable.
// Reader processes open the page with ffclock::Clock (the inline native-counter path) and
// check that no snapshot is torn, that read() is consistent, that now() and now_fast() fall
// between two read()s of the same step generation (a reading mixed from two publications
// does not), and that monotonic() never goes back, within a process and across processes
// (through a shared "latest value seen"). A
// development tool, not installed; docs/page.md ("Reader algorithm") says how to run it.

#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <new>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/cli11.hpp"
#include "ffclock/clock.hpp"
#include "ffclock/page.h"
#include "platform/counter_factory.hpp"
#include "platform/page_writer.hpp"

namespace {

using ffclock::CounterPeriod;
using ffclock::Duration;
using ffclock::UtcTime;
using SteadyClock = std::chrono::steady_clock;

// The counter ffclock::Clock reads inline on this architecture (its kNativeCounter).
#if defined(__x86_64__) || defined(__i386__)
constexpr const char* kNativeCounterName = "tsc";
constexpr uint8_t kNativeCounterId = FFCLOCK_COUNTER_X86_TSC;
#elif defined(__aarch64__)
constexpr const char* kNativeCounterName = "cntvct";
constexpr uint8_t kNativeCounterId = FFCLOCK_COUNTER_ARM_VCNT;
#else
constexpr const char* kNativeCounterName = "monotonic_raw";
constexpr uint8_t kNativeCounterId = FFCLOCK_COUNTER_MONOTONIC_RAW;
#endif

constexpr int kMaxReaders = 64;
constexpr auto kStartupLimit = std::chrono::seconds(30);  // counter probe, page creation, opens
constexpr auto kExitLimit = std::chrono::seconds(30);     // after stop, before SIGKILL
// How far now()/now_fast() may lie outside the two read()s around them: the vCPUs' counters
// may differ by a little, and the writer's time, continuous at each anchor, is not between its
// counter read and the publication: a reader in that gap reads the old line past the new
// anchor, up to 400 ppm of the gap apart (a writer preempted for 2.3 ms there: 0.9 us).
constexpr ffclock::Duration kCrossCpuAllowance = ffclock::Duration::microseconds(1);

// The writer's tag of a publication: time_esterror is a function of the anchor counter, so a
// snapshot mixing two publications shows (the other pair, mono_counter == heartbeat_counter,
// the writer keeps by itself: both are the publication's switch-over counter).
uint64_t esterror_tag(uint64_t anchor_counter) { return 1000 + anchor_counter % 100'000; }

enum Phase : uint32_t { kSetup = 0, kGo = 1, kStop = 2 };

// One reader's counts, written once when it stops.
struct alignas(64) ReaderCounts {
  std::atomic<uint64_t> reads{0};   // monotonic(), snapshot(), read(), now() and now_fast() calls
  std::atomic<uint64_t> errors{0};  // calls that returned a ReadError
  std::atomic<uint64_t> busy{0};    // of those, Busy
  std::atomic<uint64_t> torn{0};    // inconsistent snapshots or readings
  std::atomic<uint64_t> back_in_process{0};
  std::atomic<uint64_t> back_cross_process{0};
  std::atomic<uint64_t> generation_back{0};  // step_generation decreased within the process
  // now()/now_fast() outside [first read(), second read()] by more than the cross-CPU
  // allowance, and the largest excursion seen (ns, within the allowance too).
  std::atomic<uint64_t> out_of_order{0};
  std::atomic<int64_t> worst_excursion_ns{0};
};

// Lives in a MAP_SHARED anonymous mapping made before fork(): every process sees the same.
struct Shared {
  alignas(64) std::atomic<int64_t> latest_mono_ns{INT64_MIN};  // highest monotonic() any reader saw
  alignas(64) std::atomic<uint32_t> phase{kSetup};
  std::atomic<int32_t> writer_ready{0};  // 1 published once, -1 failed
  std::atomic<uint32_t> readers_ready{0};
  std::atomic<uint64_t> publications{0};
  std::atomic<uint64_t> steps{0};
  ReaderCounts readers[kMaxReaders];
};
static_assert(std::atomic<int64_t>::is_always_lock_free && std::atomic<uint64_t>::is_always_lock_free,
              "the shared counters must be address-free");

void sleep_briefly() {
  timespec ts{0, 200'000};
  nanosleep(&ts, nullptr);
}

// Sleeps until phase leaves kSetup; false when it became kStop.
bool wait_for_go(const Shared& sh) {
  for (;;) {
    const uint32_t p = sh.phase.load(std::memory_order_acquire);
    if (p != kSetup) return p == kGo;
    sleep_briefly();
  }
}

int run_writer(Shared& sh, const std::string& path, uint64_t seed) {
  auto made = ffclock::platform::make_counter(kNativeCounterName);
  if (!made) {
    fmt::print(stderr, "ffclock-torture: counter {}: {}\n", kNativeCounterName, made.error().message);
    sh.writer_ready.store(-1, std::memory_order_release);
    return 1;
  }
  ffclock::platform::Counter& counter = *made.value();
  const uint64_t hz = counter.info().nominal_hz;
  auto opened = ffclock::platform::PageWriter::open_file(path, counter);
  if (!opened) {
    fmt::print(stderr, "ffclock-torture: page {}: {}\n", path, opened.error().message);
    sh.writer_ready.store(-1, std::memory_order_release);
    return 1;
  }
  ffclock::platform::PageWriter& writer = opened.value();

  std::mt19937_64 rng(seed);
  const CounterPeriod nominal = CounterPeriod::from_seconds(1.0L / static_cast<long double>(hz));
  const uint64_t c_base = counter.read();
  const UtcTime t_base = UtcTime::from_unix(1'790'000'000);
  int64_t offset_s = 0;  // the current reference step, in whole seconds
  // The previous publication's line: each new one starts where it is at the new anchor, so
  // that absolute time is continuous between steps (readers check the order of readings).
  uint64_t prev_anchor = c_base;
  UtcTime prev_time = t_base;
  CounterPeriod prev_period = nominal;
  auto publish = [&](int64_t step_s) {
    ffclock::core::PageInput in;
    const uint64_t c = counter.read();
    const long double ppm = static_cast<long double>(rng() % 401) - 200.0L;
    in.params.anchor_counter = c;
    in.params.anchor_time =
        prev_time + prev_period.ticks_to_duration(c - prev_anchor) + Duration::seconds(step_s);
    in.params.local_period = CounterPeriod::from_seconds(nominal.to_seconds() * (1.0L + ppm * 1e-6L));
    prev_anchor = c;
    prev_time = in.params.anchor_time;
    prev_period = in.params.local_period;
    const bool step = step_s != 0;
    in.params.period = in.params.local_period;
    in.params.time_esterror = Duration::nanoseconds(static_cast<int64_t>(esterror_tag(c)));
    in.params.time_maxerror = Duration::microseconds(200);
    in.params.period_esterror_rel = 1e-8;
    in.params.period_maxerror_rel = 1e-6;
    in.params.status = ffclock::core::SyncStatus::Synchronized;
    in.counter_id = kNativeCounterId;
    in.tai_offset_known = true;
    in.tai_minus_utc = 37;
    in.reference_step = step;
    in.stale_after = in.void_after = Duration::seconds(1'000'000);
    writer.publish(in);
  };
  publish(0);
  sh.writer_ready.store(1, std::memory_order_release);
  if (!wait_for_go(sh)) return 0;

  const uint64_t generation0 = writer.state().step_generation;
  uint64_t publications = 0;
  uint64_t until_step = 50 + rng() % 101;
  while (sh.phase.load(std::memory_order_relaxed) == kGo) {
    int64_t step_s = 0;
    if (--until_step == 0) {
      // Back or forth by 1-5 s around the unstepped time.
      const int64_t next = static_cast<int64_t>(rng() % 11) - 5;
      const int64_t to = next != offset_s ? next : (next == 5 ? -5 : next + 1);
      step_s = to - offset_s;
      offset_s = to;
      until_step = 50 + rng() % 101;
    }
    publish(step_s);
    ++publications;
  }
  sh.publications.store(publications, std::memory_order_relaxed);
  sh.steps.store(writer.state().step_generation - generation0, std::memory_order_relaxed);
  return 0;
}

struct Counts {
  uint64_t reads = 0, errors = 0, busy = 0, torn = 0, back_in_process = 0, back_cross_process = 0,
           generation_back = 0, out_of_order = 0;
  int64_t worst_excursion_ns = INT64_MIN;
};

int run_reader(Shared& sh, int id, const std::string& path) {
  ffclock::ClockOptions options;
  options.host_vmclock_path.clear();
  auto opened = ffclock::Clock::open(path, options);
  if (!opened) {
    fmt::print(stderr, "ffclock-torture: reader {}: {}: {}\n", id, path, ffclock::to_string(opened.error()));
    return 1;
  }
  const ffclock::Clock& clock = opened.value();
  // The inline path runs only when the page names the native counter.
  const auto first = clock.snapshot();
  if (!first || first->ext.counter_id != kNativeCounterId) {
    fmt::print(stderr, "ffclock-torture: reader {}: the page does not name the {} counter\n", id,
               kNativeCounterName);
    return 1;
  }
  sh.readers_ready.fetch_add(1, std::memory_order_acq_rel);
  Counts n;
  if (wait_for_go(sh)) {
    auto error = [&n](ffclock::ReadError e) {
      ++n.errors;
      if (e == ffclock::ReadError::Busy) ++n.busy;
    };
    Duration last{};
    bool have_last = false;
    uint64_t generation = 0;
    auto check_generation = [&](uint64_t g) {
      if (g < generation) ++n.generation_back;
      generation = g;
    };
    while (sh.phase.load(std::memory_order_relaxed) == kGo) {
      // (1) A value another process published before this read starts must not exceed it.
      const int64_t seen = sh.latest_mono_ns.load(std::memory_order_acquire);
      const auto m = clock.monotonic();
      ++n.reads;
      if (m) {
        const int64_t ns = m->to_nanoseconds();
        if (ns < seen) ++n.back_cross_process;
        if (have_last && *m < last) ++n.back_in_process;
        last = *m;
        have_last = true;
        int64_t cur = sh.latest_mono_ns.load(std::memory_order_relaxed);
        while (cur < ns && !sh.latest_mono_ns.compare_exchange_weak(cur, ns, std::memory_order_acq_rel)) {
        }
      } else {
        error(m.error());
      }
      // (2) The writer's relations hold in every consistent snapshot.
      const auto s = clock.snapshot();
      ++n.reads;
      if (s) {
        if (s->vmclock.time_esterror_nanosec != esterror_tag(s->vmclock.counter_value) ||
            s->ext.mono_counter != s->ext.heartbeat_counter) {
          ++n.torn;
        }
        check_generation(s->ext.step_generation);
      } else {
        error(s.error());
      }
      // (3) A reading is inside its bounds and SYNCHRONIZED (the only status published).
      const auto r = clock.read();
      ++n.reads;
      if (r) {
        if (!(r->earliest <= r->utc && r->utc <= r->latest) ||
            r->status != ffclock::ClockStatus::Synchronized) {
          ++n.torn;
        }
        check_generation(r->step_generation);
      } else {
        error(r.error());
      }
      // (4) The inline reads lie between two full readings of the same step generation
      // (the writer's time is continuous between steps; a mixed snapshot is not), give or
      // take kCrossCpuAllowance: the process may move to a CPU whose counter is a little
      // behind, and now_fast() may read the counter early.
      const auto b = clock.now();
      const auto f = clock.now_fast();
      const auto r2 = clock.read();
      n.reads += 3;
      if (!b) error(b.error());
      if (!f) error(f.error());
      if (!r2) error(r2.error());
      if (r && b && f && r2 && r->step_generation == r2->step_generation) {
        if (b->status != ffclock::ClockStatus::Synchronized ||
            f->status != ffclock::ClockStatus::Synchronized) {
          ++n.torn;
        }
        const Duration excursion =
            std::max({r->utc - b->utc, b->utc - r2->utc, r->utc - f->utc, f->utc - r2->utc});
        if (excursion > kCrossCpuAllowance) ++n.out_of_order;
        n.worst_excursion_ns = std::max(n.worst_excursion_ns, excursion.to_nanoseconds());
      }
    }
  }
  ReaderCounts& out = sh.readers[id];
  out.reads.store(n.reads, std::memory_order_relaxed);
  out.errors.store(n.errors, std::memory_order_relaxed);
  out.busy.store(n.busy, std::memory_order_relaxed);
  out.torn.store(n.torn, std::memory_order_relaxed);
  out.back_in_process.store(n.back_in_process, std::memory_order_relaxed);
  out.back_cross_process.store(n.back_cross_process, std::memory_order_relaxed);
  out.generation_back.store(n.generation_back, std::memory_order_relaxed);
  out.out_of_order.store(n.out_of_order, std::memory_order_relaxed);
  out.worst_excursion_ns.store(n.worst_excursion_ns, std::memory_order_relaxed);
  return 0;
}

// fork() running `body` in the child, which leaves with _exit (none of the parent's cleanup).
template <class F>
pid_t spawn(F&& body) {
  const pid_t pid = fork();
  if (pid == 0) _exit(body());
  return pid;
}

// True when `pid` has exited (its status stored).
bool reap(pid_t pid, int& status) { return waitpid(pid, &status, WNOHANG) == pid; }

// Waits for every child up to kExitLimit, then kills the rest. True if all exited with 0.
bool reap_all(const std::vector<pid_t>& pids) {
  bool ok = true;
  const auto deadline = SteadyClock::now() + kExitLimit;
  for (const pid_t pid : pids) {
    int status = 0;
    while (!reap(pid, status)) {
      if (SteadyClock::now() >= deadline) {
        fmt::print(stderr, "ffclock-torture: process {} did not stop; killed\n", pid);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        break;
      }
      sleep_briefly();
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ok = false;
  }
  return ok;
}

// Waits until `ready` holds; false on the startup limit or when a child already exited.
template <class F>
bool wait_ready(const std::vector<pid_t>& pids, F&& ready) {
  const auto deadline = SteadyClock::now() + kStartupLimit;
  while (!ready()) {
    for (const pid_t pid : pids) {
      // WNOWAIT: the child stays waitable for reap_all().
      siginfo_t info{};
      if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
          info.si_pid == pid) {
        fmt::print(stderr, "ffclock-torture: process {} exited during startup\n", pid);
        return false;
      }
    }
    if (SteadyClock::now() >= deadline) {
      fmt::print(stderr, "ffclock-torture: startup took longer than {} s\n", kStartupLimit.count());
      return false;
    }
    sleep_briefly();
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ffclock-torture: cross-process seqlock torture of the clock page with the native counter"};
  app.set_version_flag("--version", std::string("ffclock-torture ") + FFCLOCK_VERSION);
  double seconds = 10;
  int readers = 2;
  std::string dir;
  uint64_t seed = 1;
  bool json = false;
  app.add_option("--seconds", seconds, "how long the writer publishes")->check(CLI::Range(0.1, 86400.0));
  app.add_option("--readers", readers, "reader processes")->check(CLI::Range(1, kMaxReaders));
  app.add_option("--dir", dir, "directory for the page file (default: a new temporary directory)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--seed", seed, "seed of the writer's period and step choices");
  app.add_flag("--json", json, "one JSON object instead of text");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  bool made_dir = false;
  if (dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/ffclock-torture.XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) {
      fmt::print(stderr, "ffclock-torture: mkdtemp {}: {}\n", templ, std::strerror(errno));
      return 2;
    }
    dir = templ;
    made_dir = true;
  }
  const std::string path = fmt::format("{}/ffclock-torture-{}.page", dir, getpid());

  void* mem = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) {
    fmt::print(stderr, "ffclock-torture: mmap: {}\n", std::strerror(errno));
    return 2;
  }
  Shared& sh = *new (mem) Shared;
  std::fflush(stdout);

  std::vector<pid_t> pids;
  bool started = false;
  auto spawned = [&](pid_t pid) {
    if (pid < 0) {
      fmt::print(stderr, "ffclock-torture: fork: {}\n", std::strerror(errno));
      return false;
    }
    pids.push_back(pid);
    return true;
  };
  if (spawned(spawn([&] { return run_writer(sh, path, seed); })) &&
      wait_ready(pids, [&] { return sh.writer_ready.load(std::memory_order_acquire) != 0; }) &&
      sh.writer_ready.load(std::memory_order_acquire) == 1) {
    started = true;
    for (int i = 0; i < readers && started; ++i)
      started = spawned(spawn([&, i] { return run_reader(sh, i, path); }));
    started = started && wait_ready(pids, [&] {
                return sh.readers_ready.load(std::memory_order_acquire) == static_cast<uint32_t>(readers);
              });
  }
  const auto t0 = SteadyClock::now();
  if (started) {
    sh.phase.store(kGo, std::memory_order_release);
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  }
  sh.phase.store(kStop, std::memory_order_release);
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  const bool children_ok = reap_all(pids);
  ::unlink(path.c_str());
  if (made_dir) ::rmdir(dir.c_str());
  if (!started) return 2;

  Counts t;
  for (int i = 0; i < readers; ++i) {
    const ReaderCounts& r = sh.readers[i];
    t.reads += r.reads.load(std::memory_order_relaxed);
    t.errors += r.errors.load(std::memory_order_relaxed);
    t.busy += r.busy.load(std::memory_order_relaxed);
    t.torn += r.torn.load(std::memory_order_relaxed);
    t.back_in_process += r.back_in_process.load(std::memory_order_relaxed);
    t.back_cross_process += r.back_cross_process.load(std::memory_order_relaxed);
    t.generation_back += r.generation_back.load(std::memory_order_relaxed);
    t.out_of_order += r.out_of_order.load(std::memory_order_relaxed);
    t.worst_excursion_ns =
        std::max(t.worst_excursion_ns, r.worst_excursion_ns.load(std::memory_order_relaxed));
  }
  const uint64_t publications = sh.publications.load(std::memory_order_relaxed);
  const uint64_t steps = sh.steps.load(std::memory_order_relaxed);
  const double reads_per_s = elapsed > 0 ? static_cast<double>(t.reads) / elapsed : 0;
  const bool ok = children_ok && t.reads > 0 && t.torn == 0 && t.back_in_process == 0 &&
                  t.back_cross_process == 0 && t.generation_back == 0 && t.out_of_order == 0;
  if (json) {
    nlohmann::json j{{"seconds", elapsed},
                     {"readers", readers},
                     {"counter", kNativeCounterName},
                     {"publications", publications},
                     {"steps", steps},
                     {"reads", t.reads},
                     {"reads_per_s", reads_per_s},
                     {"torn", t.torn},
                     {"backward_in_process", t.back_in_process},
                     {"backward_cross_process", t.back_cross_process},
                     {"step_generation_backward", t.generation_back},
                     {"inline_out_of_order", t.out_of_order},
                     {"inline_worst_excursion_ns", t.worst_excursion_ns},
                     {"errors", t.errors},
                     {"busy", t.busy},
                     {"ok", ok}};
    fmt::print("{}\n", j.dump());
  } else {
    fmt::print(
        "ffclock-torture: {:.1f} s, {} readers, counter {}: {} publications ({} steps), {} reads ({:.3g}/s), "
        "torn {}, backward {} in-process / {} cross-process / {} step-generation, now()/now_fast() out of "
        "order {} (worst excursion {} ns), errors {} (busy {}){}\n",
        elapsed, readers, kNativeCounterName, publications, steps, t.reads, reads_per_s, t.torn,
        t.back_in_process, t.back_cross_process, t.generation_back, t.out_of_order, t.worst_excursion_ns,
        t.errors, t.busy, children_ok ? "" : "; a process failed");
  }
  return ok ? 0 : 1;
}
