// SPDX-License-Identifier: BSD-2-Clause
// The host vmclock device over a file laid out as a vmclock page (as the acceptance checks
// make one): open errors, a consistent snapshot, the marker change seen, a busy host.
#include "platform/vmclock/vmclock_device.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <string>

#include "temp_file.hpp"

using namespace ffclock;
using namespace ffclock::platform;

namespace {

ffclock_vmclock_abi page_with(uint64_t marker) {
  ffclock_vmclock_abi a{};
  a.magic = FFCLOCK_VMCLOCK_MAGIC;
  a.size = 4096;
  a.version = 1;
  a.counter_id = FFCLOCK_COUNTER_INVALID;
  a.seq_count = 2;
  a.disruption_marker = marker;
  a.flags = FFCLOCK_FLAG_VM_GEN_COUNTER_PRESENT | FFCLOCK_FLAG_DISRUPTION_SOON;
  a.vm_generation_counter = 9;
  return a;
}

TEST(VmclockDevice, ReadsAFileLaidOutAsAPage) {
  std::string bytes(4096, '\0');
  const ffclock_vmclock_abi a = page_with(41);
  std::memcpy(bytes.data(), &a, sizeof a);
  const test::TempFile file(bytes);
  auto d = VmclockDevice::open(file.path());
  ASSERT_TRUE(d.has_value()) << (d ? "" : d.error().message);
  auto s = d->read();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->disruption_marker, 41u);
  EXPECT_EQ(s->vm_generation, 9u);
  EXPECT_TRUE(s->vm_generation_present);
  EXPECT_TRUE(s->disruption_soon());
  EXPECT_FALSE(s->disruption_imminent());
}

TEST(VmclockDevice, SeesTheMarkerChangeAndRefusesABusyPage) {
  ffclock_vmclock_abi a = page_with(1);
  const VmclockDevice d = VmclockDevice::over_memory(&a);
  EXPECT_EQ(d.read()->disruption_marker, 1u);
  a.disruption_marker = 2;
  a.seq_count = 4;
  EXPECT_EQ(d.read()->disruption_marker, 2u);
  a.seq_count = 5;  // the host died mid-update
  const auto r = d.read();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, VmclockError::Code::Busy);
}

TEST(VmclockDevice, BadFilesAreClearErrors) {
  const test::TempFile small("tiny");
  EXPECT_EQ(VmclockDevice::open(small.path() + ".missing").error().code, VmclockError::Code::Open);
  EXPECT_EQ(VmclockDevice::open(small.path()).error().code, VmclockError::Code::TooSmall);
  const test::TempFile zeros(std::string(4096, '\0'));
  EXPECT_EQ(VmclockDevice::open(zeros.path()).error().code, VmclockError::Code::BadMagic);
  char dir[] = "/tmp/ffclock-vmclock-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string fifo = std::string(dir) + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(VmclockDevice::open(fifo).error().code, VmclockError::Code::NotRegular);
  EXPECT_EQ(VmclockDevice::open(dir).error().code, VmclockError::Code::NotRegular);
  unlink(fifo.c_str());
  rmdir(dir);
}

}  // namespace
