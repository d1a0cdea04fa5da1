// SPDX-License-Identifier: BSD-2-Clause
// ffclockd's driver and the real sync engine on the simulated runtime with a host vmclock
// page in a file (laid out as the device's page) as the only source: no NTP server at all.
// The host's time becomes the clock; a host that withdraws it is unusable with its reason;
// DISRUPTION_SOON / _IMMINENT reach the clock page as the host raises and clears them.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "daemon/driver.hpp"
#include "runtime/sim/sim_backend.hpp"
#include "unit/daemon/driver_sim_rig.hpp"
#include "unit/platform/temp_file.hpp"

namespace ffclock::daemon {
namespace {

using test::kBase;
using test::true_utc;

// The host's side: a file laid out as a vmclock page, written under its seqlock. The sim
// counter reads virtual nanoseconds, so the host's line is exact: counter C is kBase + C ns,
// shifted by `offset`.
class HostPage {
 public:
  explicit HostPage(Duration offset) : file_(std::string(4096, '\0')) {
    fd_ = ::open(file_.path().c_str(), O_RDWR | O_CLOEXEC);
    void* m = fd_ >= 0 ? mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0) : MAP_FAILED;
    abi_ = m == MAP_FAILED ? nullptr : static_cast<ffclock_vmclock_abi*>(m);
    if (abi_ == nullptr) return;
    update([&](ffclock_vmclock_abi& a) {
      a.magic = FFCLOCK_VMCLOCK_MAGIC;
      a.size = 4096;
      a.version = 1;
      a.counter_id = FFCLOCK_COUNTER_X86_TSC;
      a.time_type = FFCLOCK_TIME_UTC;
      a.disruption_marker = 7;
      a.flags = FFCLOCK_FLAG_TIME_MAXERROR_VALID | FFCLOCK_FLAG_TIME_ESTERROR_VALID |
                FFCLOCK_FLAG_PERIOD_MAXERROR_VALID;
      a.clock_status = FFCLOCK_STATUS_SYNCHRONIZED;
      const CounterPeriod p = CounterPeriod::from_seconds(1e-9L);
      a.counter_period_shift = p.shift;
      a.counter_period_frac_sec = p.frac;
      a.counter_period_maxerror_rate_frac_sec = p.frac / 1'000'000;  // 1 ppm
      a.counter_value = 500'000'000;
      const UtcTime t = kBase + Duration::milliseconds(500) + offset;
      a.time_sec = static_cast<uint64_t>(t.fixed() >> 64);
      a.time_frac_sec = t.fraction();
      a.time_esterror_nanosec = 5'000;
      a.time_maxerror_nanosec = 30'000;
    });
  }
  HostPage(const HostPage&) = delete;
  HostPage& operator=(const HostPage&) = delete;
  ~HostPage() {
    if (abi_ != nullptr) munmap(abi_, 4096);
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] bool ok() const { return abi_ != nullptr; }
  [[nodiscard]] const std::string& path() const { return file_.path(); }
  template <class F>
  void update(F&& change) {
    abi_->seq_count |= 1u;
    change(*abi_);
    abi_->seq_count += 1;
  }
  void set_flag(uint64_t flag, bool on) {
    update([&](ffclock_vmclock_abi& a) { a.flags = on ? (a.flags | flag) : (a.flags & ~flag); });
  }

 private:
  test::TempFile file_;
  int fd_ = -1;
  ffclock_vmclock_abi* abi_ = nullptr;
};

class VmclockSourceSim : public test::DriverSimRig {
 protected:
  void start(const HostPage& host) {
    const std::string toml = "[vmclock]\ndevice = \"" + host.path() + "\"\n[[source]]\nmode = \"vmclock\"\n";
    // The engine is told it counts the TSC, as the host's page says.
    DriverSimRig::start(toml, platform::CounterKind::X86Tsc,
                        [this](const DaemonConfig& cfg, DriverHands& hands) {
                          auto dev = platform::VmclockDevice::open(cfg.vmclock_device);
                          ASSERT_TRUE(dev) << dev.error().message;
                          device.emplace(std::move(dev).value());
                          hands.vmclock = &*device;
                        });
  }

  std::optional<platform::VmclockDevice> device;
};

TEST_F(VmclockSourceSim, TheHostsPageAloneSynchronizesTheClock) {
  HostPage host(Duration::microseconds(12));
  ASSERT_TRUE(host.ok());
  start(host);
  run_for(30);
  ASSERT_FALSE(publisher.published.empty()) << ::testing::PrintToString(log.lines);
  const core::PageInput& first = publisher.published.front();
  EXPECT_EQ(first.params.status, core::SyncStatus::Synchronized);
  EXPECT_FALSE(first.unreliable);
  const core::PageInput& last = publisher.published.back();
  EXPECT_EQ(last.params.status, core::SyncStatus::Synchronized);
  EXPECT_EQ(last.source.refid, 0x564D434Cu);  // "VMCL"
  const Duration err = error_now();
  EXPECT_LE(abs(err), last.params.maxerror_at(counter.read()));
  EXPECT_LT(abs(err - Duration::microseconds(12)), Duration::nanoseconds(10));
  EXPECT_GE(last.params.time_maxerror, Duration::microseconds(30));
  // Read at least once a second, and no NTP traffic at all.
  EXPECT_GE(driver->stats().vmclock_samples, 29u);
  EXPECT_EQ(driver->stats().sent, 0u);
  const auto j = nlohmann::json::parse(sources_page);
  EXPECT_EQ(j["selected"], "vmclock");
  EXPECT_EQ(j["sources"][0]["mode"], "vmclock");
  EXPECT_EQ(j["sources"][0]["state"], "selected");
  EXPECT_EQ(j["sources"][0]["refid"], "VMCL");
  EXPECT_EQ(j["sources"][0]["stratum"], 1);
  EXPECT_TRUE(j["sources"][0]["unusable"].is_null());
}

TEST_F(VmclockSourceSim, AHostThatIsNotSynchronizedIsUnusableWithItsReason) {
  HostPage host(Duration{});
  ASSERT_TRUE(host.ok());
  host.update([](ffclock_vmclock_abi& a) { a.clock_status = FFCLOCK_STATUS_FREERUNNING; });
  start(host);
  run_for(10);
  EXPECT_TRUE(publisher.published.empty());
  const auto j = nlohmann::json::parse(sources_page);
  EXPECT_EQ(j["sources"][0]["state"], "unreachable");
  EXPECT_EQ(j["sources"][0]["unusable"], "host clock is free-running, not synchronized");
  EXPECT_TRUE(j["selected"].is_null());
}

TEST_F(VmclockSourceSim, DisruptionSoonAndImminentReachTheClockPage) {
  HostPage host(Duration{});
  ASSERT_TRUE(host.ok());
  start(host);
  bool checked = false;
  run_for(20, [&]() -> runtime::Task<void> {
    co_await sched.sleep_for(std::chrono::seconds(5));
    EXPECT_FALSE(publisher.published.back().disruption_soon);
    host.set_flag(FFCLOCK_FLAG_DISRUPTION_SOON, true);
    co_await sched.sleep_for(std::chrono::milliseconds(1100));  // read at least once a second
    EXPECT_TRUE(publisher.published.back().disruption_soon);
    EXPECT_FALSE(publisher.published.back().disruption_imminent);
    host.set_flag(FFCLOCK_FLAG_DISRUPTION_IMMINENT, true);
    co_await sched.sleep_for(std::chrono::milliseconds(1100));
    EXPECT_TRUE(publisher.published.back().disruption_imminent);
    host.set_flag(FFCLOCK_FLAG_DISRUPTION_SOON, false);
    host.set_flag(FFCLOCK_FLAG_DISRUPTION_IMMINENT, false);
    co_await sched.sleep_for(std::chrono::milliseconds(1100));
    EXPECT_FALSE(publisher.published.back().disruption_soon);
    EXPECT_FALSE(publisher.published.back().disruption_imminent);
    checked = true;
  });
  EXPECT_TRUE(checked);
  const auto announced = std::count_if(log.lines.begin(), log.lines.end(), [](const std::string& l) {
    return l.find("the host announces") != std::string::npos;
  });
  EXPECT_EQ(announced, 2);
}

TEST_F(VmclockSourceSim, HostFlagsAreRepublishedAtOnceWithoutANewStep) {
  HostPage host(Duration{});
  ASSERT_TRUE(host.ok());
  start(host);
  run_for(3);
  ASSERT_FALSE(publisher.published.empty());
  const std::size_t n = publisher.published.size();
  // As the lifecycle watch reports it between the driver's own reads.
  driver->set_host_flags(FFCLOCK_FLAG_DISRUPTION_IMMINENT);
  ASSERT_EQ(publisher.published.size(), n + 1);
  EXPECT_TRUE(publisher.published.back().disruption_imminent);
  EXPECT_FALSE(publisher.published.back().reference_step);
  EXPECT_EQ(publisher.published.back().params.anchor_counter,
            publisher.published[n - 1].params.anchor_counter);
  driver->set_host_flags(FFCLOCK_FLAG_DISRUPTION_IMMINENT);  // no change: nothing new
  EXPECT_EQ(publisher.published.size(), n + 1);
}

TEST_F(VmclockSourceSim, PublicationsCarryTheHostMarkerTheCalibrationBelongsTo) {
  HostPage host(Duration{});
  ASSERT_TRUE(host.ok());
  start(host);
  run_for(2);
  ASSERT_FALSE(publisher.published.empty());
  EXPECT_FALSE(publisher.published.back().host_disruption_marker.has_value());  // nobody told it yet
  // As the lifecycle watch reports each host snapshot: a reader mapping the host page then
  // compares the marker and sees DISRUPTED before this daemon reacts to a migration.
  driver->set_host_marker(41);
  driver->set_host_flags(FFCLOCK_FLAG_DISRUPTION_SOON);  // forces a republication
  ASSERT_TRUE(publisher.published.back().host_disruption_marker.has_value());
  EXPECT_EQ(*publisher.published.back().host_disruption_marker, 41u);
}

}  // namespace
}  // namespace ffclock::daemon
