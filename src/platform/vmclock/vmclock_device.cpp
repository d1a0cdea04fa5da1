// SPDX-License-Identifier: BSD-2-Clause
#include "platform/vmclock/vmclock_device.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

#include "ffclock/page_access.hpp"

namespace ffclock::platform {

namespace {
constexpr int kRetries = 1000;
}  // namespace

core::Result<VmclockDevice, VmclockError> VmclockDevice::open(const std::string& path) {
  auto fail = [&](VmclockError::Code c, int e, const char* what) {
    return core::Unexpected{
        VmclockError{c, e, path + ": " + what + (e ? std::string(": ") + std::strerror(e) : "")}};
  };
  // O_NONBLOCK: a FIFO or a device that blocks on open must not hang the daemon.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return fail(VmclockError::Code::Open, errno, "cannot open");
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return fail(VmclockError::Code::Open, e, "cannot stat");
  }
  // The real device is a character device; tests use a regular file. Anything else is not a page.
  if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
    ::close(fd);
    return fail(VmclockError::Code::NotRegular, 0, "not a file or a device");
  }
  if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) < sizeof(ffclock_vmclock_abi)) {
    ::close(fd);
    return fail(VmclockError::Code::TooSmall, 0, "smaller than a vmclock page");
  }
  const std::size_t size = 4096;
  void* mem = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  const int e = errno;
  ::close(fd);
  if (mem == MAP_FAILED) return fail(VmclockError::Code::Map, e, "cannot map");
  const auto* abi = static_cast<const ffclock_vmclock_abi*>(mem);
  if (page_access::load(abi->magic) != FFCLOCK_VMCLOCK_MAGIC) {
    munmap(mem, size);
    return fail(VmclockError::Code::BadMagic, 0, "not a vmclock page (bad magic)");
  }
  return VmclockDevice(abi, mem, size);
}

VmclockDevice VmclockDevice::over_memory(const ffclock_vmclock_abi* abi) {
  return VmclockDevice(abi, nullptr, 0);
}

VmclockDevice::VmclockDevice(VmclockDevice&& o) noexcept
    : abi_(o.abi_), map_(std::exchange(o.map_, nullptr)), map_size_(o.map_size_) {}

VmclockDevice::~VmclockDevice() {
  if (map_ != nullptr) munmap(map_, map_size_);
}

core::Result<VmclockSnapshot, VmclockError> VmclockDevice::read() const {
  using page_access::load;
  for (int i = 0; i < kRetries; ++i) {
    const uint32_t seq = load(abi_->seq_count);
    if (seq & 1u) continue;
    // Every load is an acquire load (page_access::load's default), so no field load moves
    // above the first seq read and the final seq read cannot move above any field load: the
    // seqlock needs no separate fence (and TSan, which cannot model fences, sees it all).
    VmclockSnapshot s;
    s.disruption_marker = load(abi_->disruption_marker);
    s.flags = load(abi_->flags);
    s.vm_generation = load(abi_->vm_generation_counter);
    s.vm_generation_present = (s.flags & FFCLOCK_FLAG_VM_GEN_COUNTER_PRESENT) != 0;
    s.clock_status = load(abi_->clock_status);
    s.counter_id = load(abi_->counter_id);
    s.time_type = load(abi_->time_type);
    s.counter_value = load(abi_->counter_value);
    s.counter_period_shift = load(abi_->counter_period_shift);
    s.counter_period_frac_sec = load(abi_->counter_period_frac_sec);
    s.counter_period_esterror_rate_frac_sec = load(abi_->counter_period_esterror_rate_frac_sec);
    s.counter_period_maxerror_rate_frac_sec = load(abi_->counter_period_maxerror_rate_frac_sec);
    s.time_sec = load(abi_->time_sec);
    s.time_frac_sec = load(abi_->time_frac_sec);
    s.time_esterror_nanosec = load(abi_->time_esterror_nanosec);
    s.time_maxerror_nanosec = load(abi_->time_maxerror_nanosec);
    if (load(abi_->seq_count) == seq) return s;
  }
  return core::Unexpected{VmclockError{VmclockError::Code::Busy, 0, "the host kept the vmclock page busy"}};
}

}  // namespace ffclock::platform
