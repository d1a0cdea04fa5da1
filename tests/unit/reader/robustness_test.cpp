// SPDX-License-Identifier: BSD-2-Clause
// Hostile and broken pages: a writer killed mid-publication and restarted, a second writer,
// a sequence held odd, a counter far behind the anchor, absurd but consistent pages, FIFOs
// and truncated files. Each must give a reading or a clear error, never a wrong time.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>

#include "ffclock/page_math.hpp"
#include "page_fixture.hpp"

using namespace ffclock;
using namespace ffclock::testing;

namespace {

const UtcTime kT0 = UtcTime::from_unix(1'790'000'000, 0x4000000000000000ull);

class PageDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ffclock-robust-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    const std::string cmd = "rm -rf '" + dir_ + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  ClockOptions fake_counter_options(platform::FakeCounter& counter) {
    ClockOptions o;
    o.host_vmclock_path.clear();
    o.counter = &read_fake;
    o.counter_ctx = &counter;
    o.spin_timeout = Duration::milliseconds(2);
    return o;
  }
  std::string dir_;
};

// An input whose rate and time differ from synced_input's, so that a mix of two publications
// differs from either.
core::PageInput other_input(uint64_t anchor, UtcTime t, double ppm) {
  core::PageInput in = synced_input(anchor, t);
  in.params.local_period = CounterPeriod::from_seconds(1e-9L * (1.0L + ppm * 1e-6L));
  in.params.period = in.params.local_period;
  return in;
}

bool same_state(const core::WriterState& a, const core::WriterState& b) {
  return a.mono.valid == b.mono.valid && a.mono.anchor_counter == b.mono.anchor_counter &&
         a.mono.base == b.mono.base && a.mono.rate == b.mono.rate && a.mono.origin == b.mono.origin &&
         a.step_generation == b.step_generation && a.heartbeat_count == b.heartbeat_count;
}

// A writer killed after each store of a publication, then restarted: the restart continues
// the last complete publication's monotonic segment (or the new one, once it completed),
// never a mix, and no reader's monotonic time goes back.
TEST_F(PageDir, RestartAfterWriterKilledAtEveryStorePoint) {
  platform::FakeCounter counter(1'000'000'000'000ull);
  size_t total = 0;
  {
    auto w = platform::PageWriter::open_file(dir_ + "/probe", counter);
    ASSERT_TRUE(w.has_value());
    w.value().publish(synced_input(counter.read(), kT0));
    total =
        w.value().publish_interrupted(synced_input(counter.read(), kT0), std::numeric_limits<size_t>::max());
  }
  ASSERT_GT(total, 40u);
  for (size_t k = 0; k <= total; ++k) {
    SCOPED_TRACE("killed after store " + std::to_string(k) + " of " + std::to_string(total));
    const std::string path = dir_ + "/page" + std::to_string(k);
    counter.set(1'000'000'000'000ull);
    core::WriterState expected;
    Duration seen;
    std::optional<Clock> clock;
    {
      auto w = platform::PageWriter::open_file(path, counter);
      ASSERT_TRUE(w.has_value()) << w.error().message;
      w.value().publish(synced_input(counter.read(), kT0));
      counter.advance(1'000'000'000);
      w.value().publish(other_input(counter.read(), kT0 + Duration::seconds(1), 30.0));
      auto opened = Clock::open(path, fake_counter_options(counter));
      ASSERT_TRUE(opened.has_value());
      clock.emplace(std::move(opened).value());
      counter.advance(500'000'000);
      seen = *clock->monotonic();
      // The next publication steps the time by 2 s at another rate: its monotonic segment
      // (anchor, base, rate, origin) differs in every field from the previous one.
      counter.advance(1'000);
      auto in = other_input(counter.read(), kT0 + Duration::seconds(4), -40.0);
      in.reference_step = true;
      w.value().publish_interrupted(in, k);
      expected = w->state();  // unchanged unless the publication completed
      if (k >= 1 && k < total) {
        EXPECT_EQ(clock->now().error(), ReadError::Busy);  // a live writer holds the page
      }
    }  // the writer dies: its lock goes with it
    if (k >= 1 && k < total) {
      EXPECT_EQ(clock->now().error(), ReadError::NoWriter);
      EXPECT_EQ(clock->monotonic().error(), ReadError::NoWriter);
    }
    counter.advance(300'000'000);
    auto restarted = platform::PageWriter::open_file(path, counter);
    ASSERT_TRUE(restarted.has_value()) << restarted.error().message;
    EXPECT_TRUE(same_state(restarted->state(), expected));
    restarted.value().publish(other_input(counter.read(), kT0 + Duration::seconds(5), 10.0));
    const auto after = clock->monotonic();
    ASSERT_TRUE(after.has_value());
    EXPECT_GE(*after, seen);
    EXPECT_EQ(*after, expected.mono.at(counter.read()));  // continuity at the restart
  }
}

TEST_F(PageDir, OneWriterAtATime) {
  platform::FakeCounter counter(1'000'000'000'000ull);
  const std::string path = dir_ + "/page";
  {
    auto first = platform::PageWriter::open_file(path, counter);
    ASSERT_TRUE(first.has_value());
    auto second = platform::PageWriter::open_file(path, counter);
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().code, platform::PageWriterError::Code::Locked);
    EXPECT_NE(second.error().message.find("another writer"), std::string::npos);
    // A writer that made a new page (a change of timescale) holds that one.
    first.value().publish(synced_input(counter.read(), kT0));
    auto in = synced_input(counter.read(), kT0);
    in.tai_offset_known = false;
    first.value().publish(in);
    EXPECT_EQ(platform::PageWriter::open_file(path, counter).error().code,
              platform::PageWriterError::Code::Locked);
  }
  EXPECT_TRUE(platform::PageWriter::open_file(path, counter).has_value());
}

// magic ... time_type and the extension header never change once the page holds a
// publication; a change of timescale or counter makes a new page and retires the old one.
TEST_F(PageDir, ConstantHeaderAndNewPageOnTimescaleChange) {
  platform::FakeCounter counter(1'000'000'000'000ull);
  const std::string path = dir_ + "/page";
  auto w = platform::PageWriter::open_file(path, counter);
  ASSERT_TRUE(w.has_value());
  w.value().publish(synced_input(counter.read(), kT0));
  auto old_clock = Clock::open(path, fake_counter_options(counter));
  ASSERT_TRUE(old_clock.has_value());
  struct stat st1 {};
  ASSERT_EQ(stat(path.c_str(), &st1), 0);
  ffclock_page header_before{};
  std::memcpy(&header_before, w->page(), sizeof header_before);
  for (int i = 1; i < 5; ++i) {
    counter.advance(1'000'000'000);
    auto in = other_input(counter.read(), kT0 + Duration::seconds(i), i * 3.0);
    in.unreliable = i == 3;
    w.value().publish(in);
  }
  EXPECT_EQ(std::memcmp(w->page(), &header_before, 12), 0);  // magic, size, version, counter_id, time_type
  EXPECT_EQ(std::memcmp(&w->page()->ext, &header_before.ext, 8), 0);
  EXPECT_EQ(w->page()->ext.counter_id, header_before.ext.counter_id);
  struct stat st2 {};
  ASSERT_EQ(stat(path.c_str(), &st2), 0);
  EXPECT_EQ(st1.st_ino, st2.st_ino);

  auto utc_in = synced_input(counter.read(), kT0 + Duration::seconds(5));
  utc_in.tai_offset_known = false;
  w.value().publish(utc_in);
  ASSERT_EQ(stat(path.c_str(), &st2), 0);
  EXPECT_NE(st1.st_ino, st2.st_ino);
  EXPECT_EQ(w->page()->vmclock.time_type, FFCLOCK_TIME_UTC);
  EXPECT_EQ(old_clock->now()->status, ClockStatus::Unknown);  // the retired page
  auto new_clock = Clock::open(path, fake_counter_options(counter));
  ASSERT_TRUE(new_clock.has_value());
  EXPECT_EQ(new_clock->now()->utc, kT0 + Duration::seconds(5));
  EXPECT_EQ(new_clock->now()->status, ClockStatus::Synchronized);
}

TEST(Robustness, CounterFarBehindTheAnchorIsUnknown) {
  MemoryPage mp;
  mp.writer.publish(synced_input(mp.counter.read(), kT0));
  Clock clock = mp.reader();
  const uint64_t anchor = mp.counter.read();
  mp.counter.set(anchor - 500);  // 0.5 us behind: cross-CPU skew
  EXPECT_EQ(clock.now()->status, ClockStatus::Synchronized);
  mp.counter.set(anchor - 86'400'000'000'000ull);  // a day behind
  const auto r = clock.now();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, ClockStatus::Unknown);
  EXPECT_EQ(clock.now_fast()->status, ClockStatus::Unknown);
}

TEST(Robustness, SequenceHeldOddIsBusyForMemoryPagesAndBoundedInTime) {
  MemoryPage mp;
  mp.writer.publish(synced_input(mp.counter.read(), kT0));
  ClockOptions o;
  o.spin_timeout = Duration::milliseconds(20);
  Clock clock = mp.reader(o);
  auto* page = reinterpret_cast<ffclock_page*>(mp.buf->bytes);
  page->vmclock.seq_count |= 1u;
  timespec a{}, b{};
  clock_gettime(CLOCK_MONOTONIC, &a);
  EXPECT_EQ(clock.now().error(), ReadError::Busy);
  clock_gettime(CLOCK_MONOTONIC, &b);
  const double waited = static_cast<double>(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
  EXPECT_GE(waited, 0.019);  // spun for the timeout, not for a number of attempts
  EXPECT_EQ(clock.snapshot().error(), ReadError::Busy);
  EXPECT_STREQ(to_string(ReadError::NoWriter), "no writer: the clock page was left mid-update");
}

// now() and now_fast() are read()'s projections (the test counter stands still between them).
void expect_projection(const Clock& clock, const char* what) {
  SCOPED_TRACE(what);
  const auto r = clock.read();
  const auto bounded = clock.now();
  const auto fast = clock.now_fast();
  ASSERT_EQ(bounded.has_value(), r.has_value());
  ASSERT_EQ(fast.has_value(), r.has_value());
  if (!r) {
    EXPECT_EQ(bounded.error(), r.error());
    EXPECT_EQ(fast.error(), r.error());
    return;
  }
  EXPECT_EQ(bounded->utc, r->utc);
  EXPECT_EQ(bounded->maxerror, r->maxerror);
  EXPECT_EQ(bounded->status, r->status);
  EXPECT_EQ(fast->utc, r->utc);
  EXPECT_EQ(fast->status, r->status);
}

// Each test of the inline read's common page, passed and failed: the answer is read()'s.
TEST(Robustness, InlineReadsEqualReadOnEveryBranch) {
  MemoryPage mp;
  auto in = synced_input(mp.counter.read(), kT0);
  in.host_disruption_marker = 41;
  mp.writer.publish(in);
  struct Host {
    ffclock_vmclock_abi page{};
  } host;
  host.page.magic = FFCLOCK_VMCLOCK_MAGIC;
  host.page.disruption_marker = 41;
  ClockOptions o;
  o.host_page = &host.page;
  Clock clock = mp.reader(o);
  auto* page = reinterpret_cast<ffclock_page*>(mp.buf->bytes);
  ffclock_vmclock_abi& v = page->vmclock;
  ffclock_page_ext& x = page->ext;
  mp.counter.advance(1'000'000'000);
  const ffclock_page saved = *page;
  auto restore = [&] { std::memcpy(page, &saved, sizeof saved); };

  expect_projection(clock, "common page, host marker equal");
  EXPECT_EQ(clock.now()->status, ClockStatus::Synchronized);
  host.page.disruption_marker = 42;
  expect_projection(clock, "host marker changed");
  EXPECT_EQ(clock.now()->status, ClockStatus::Disrupted);
  host.page.disruption_marker = 41;

  v.time_sec = static_cast<uint64_t>(-86'400);  // 1969: inside read()'s range, outside the inline one
  expect_projection(clock, "UTC before 1970");
  EXPECT_TRUE(clock.now_fast().has_value());
  v.time_sec = (uint64_t{1} << 37) + 37;  // year 6325
  expect_projection(clock, "UTC after 2^37 s");
  EXPECT_TRUE(clock.now().has_value());
  restore();

  // Shifts the inline read leaves to read() (a period of 2^-64 s per tick and less).
  v.counter_period_shift = 64;
  expect_projection(clock, "shift 64");
  v.counter_period_shift = 200;
  expect_projection(clock, "shift 200");
  restore();

  v.clock_status = 9;
  expect_projection(clock, "a status vmclock does not define");
  EXPECT_EQ(clock.now()->status, ClockStatus::Unknown);
  restore();

  v.flags &= ~uint64_t{FFCLOCK_FLAG_TIME_MAXERROR_VALID};
  expect_projection(clock, "no valid bound");
  EXPECT_EQ(clock.now()->maxerror, kUnbounded);
  restore();

  v.counter_period_maxerror_rate_frac_sec = ~uint64_t{0};
  v.counter_period_shift = 0;
  expect_projection(clock, "a bound that saturates");
  restore();

  x.flags &= ~uint32_t{FFCLOCK_EXT_FLAG_TAI_OFFSET_VALID};
  expect_projection(clock, "no TAI offset");
  restore();

  x.flags |= FFCLOCK_EXT_FLAG_LEAP_VALID;
  x.leap_utc_sec = 1'790'000'100;
  x.leap_delta = 1;
  x.tai_minus_utc_after = 38;
  expect_projection(clock, "a leap scheduled");
  restore();

  v.counter_value += 5'000'000'000ull;  // the counter 5 s behind the anchor
  expect_projection(clock, "counter behind the anchor");
  restore();

  x.stale_after_counter = v.counter_value + 1;  // stale
  expect_projection(clock, "stale");
  x.void_after_counter = v.counter_value + 1;  // and void
  expect_projection(clock, "void");
  restore();

  v.seq_count += 1;  // odd: read() spins for its timeout, then busy
  expect_projection(clock, "odd sequence");
  restore();
  expect_projection(clock, "restored");
  EXPECT_EQ(clock.now()->status, ClockStatus::Synchronized);
}

// A page whose fields are consistent but absurd: a reading or a clear error, in range.
TEST(Robustness, AbsurdPagesSaturateOrRefuse) {
  MemoryPage mp;
  mp.writer.publish(synced_input(mp.counter.read(), kT0));
  Clock clock = mp.reader();
  auto* page = reinterpret_cast<ffclock_page*>(mp.buf->bytes);
  ffclock_vmclock_abi& v = page->vmclock;
  mp.counter.advance(1'000'000'000);

  v.time_sec = (uint64_t{1} << 63) - 1;  // the acceptance check's page
  EXPECT_EQ(clock.now().error(), ReadError::OutOfRange);
  v.time_sec = ~uint64_t{0};  // -1 s: 1969, fine (earliest 1833)
  EXPECT_TRUE(clock.now().has_value());
  v.time_sec = 1'790'000'037;

  v.time_maxerror_nanosec = ~uint64_t{0};
  v.counter_period_maxerror_rate_frac_sec = ~uint64_t{0};
  v.counter_period_shift = 0;
  auto r = clock.read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->maxerror, kUnbounded);
  EXPECT_LE(r->earliest, r->utc);
  EXPECT_LE(r->utc, r->latest);
  EXPECT_GE(r->earliest, kMinReadableTime);
  EXPECT_LE(r->latest, kMaxReadableTime);

  v.counter_period_frac_sec = ~uint64_t{0};  // with shift 0: 1 s per tick
  mp.counter.advance(300'000'000'000ull);    // 9500 years on
  EXPECT_EQ(clock.now().error(), ReadError::OutOfRange);
  v.counter_period_shift = 255;
  EXPECT_TRUE(clock.now().has_value());

  page->ext.flags |= FFCLOCK_EXT_FLAG_LEAP_VALID;
  page->ext.leap_utc_sec = std::numeric_limits<int64_t>::max();
  page->ext.leap_delta = -128;
  page->ext.smear_start_rel_sec = std::numeric_limits<int32_t>::min();
  page->ext.smear_end_rel_sec = std::numeric_limits<int32_t>::max();
  page->ext.tai_minus_utc = std::numeric_limits<int32_t>::min();
  page->ext.tai_minus_utc_after = std::numeric_limits<int16_t>::min();
  for (int8_t delta : {int8_t{-128}, int8_t{1}, int8_t{-1}}) {
    page->ext.leap_delta = delta;
    for (int64_t leap :
         {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(), int64_t{1'790'000'100}}) {
      page->ext.leap_utc_sec = leap;
      r = clock.read();
      if (!r) continue;
      EXPECT_LE(r->earliest, r->latest);
      for (SmearKind k : {SmearKind::None, SmearKind::NoonLinear, SmearKind::UtcSls, SmearKind::Cosine}) {
        (void)clock.smeared(k);
      }
    }
  }
  page->ext.mono_sec = (uint64_t{1} << 63) - 1;
  page->ext.mono_frac = ~uint64_t{0};
  page->ext.mono_period_frac_sec = ~uint64_t{0};
  page->ext.mono_period_shift = 0;
  const auto m = clock.monotonic();
  ASSERT_TRUE(m.has_value());
  (void)m->to_nanoseconds();
  (void)clock.elapsed(0, ~uint64_t{0});
}

TEST(Robustness, DurationNanosecondsSaturate) {
  EXPECT_EQ(Duration::from_fixed(page_math::nanos_to_fixed_ceil(~uint64_t{0})).to_nanoseconds(),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Duration::seconds(-(int64_t{1} << 40)).to_nanoseconds(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Duration::nanoseconds(-5).to_nanoseconds(), -5);
  const auto s = UtcTime::from_fixed(static_cast<int128>(~uint128{0} >> 1)).split_nanos();
  EXPECT_EQ(s.sec, std::numeric_limits<int64_t>::max());
}

TEST_F(PageDir, FifoAndTruncatedFilesAreRefusedWithoutHanging) {
  const std::string fifo = dir_ + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(Clock::open(fifo).error(), OpenError::NotRegularFile);
  EXPECT_EQ(Clock::open(dir_).error(), OpenError::NotRegularFile);

  platform::FakeCounter counter(1'000'000'000'000ull);
  const std::string path = dir_ + "/page";
  {
    auto w = platform::PageWriter::open_file(path, counter);
    ASSERT_TRUE(w.has_value());
    w.value().publish(synced_input(counter.read(), kT0));
  }
  for (off_t size : {off_t{3000}, off_t{279}, off_t{112}, off_t{50}}) {
    ASSERT_EQ(truncate(path.c_str(), size), 0);
    const auto c = Clock::open(path);
    ASSERT_FALSE(c.has_value()) << size;
    EXPECT_TRUE(c.error() == OpenError::BadSize || c.error() == OpenError::TooSmall ||
                c.error() == OpenError::NoExtension)
        << size << ": " << to_string(c.error());
  }
}

TEST(Robustness, EsterrorIsInTheReading) {
  MemoryPage mp;
  mp.writer.publish(synced_input(mp.counter.read(), kT0));
  Clock clock = mp.reader();
  mp.counter.advance(1'000'000'000'000ull);
  const auto r = clock.read();
  ASSERT_TRUE(r.has_value());
  // The anchor's 10 us and the rate's 1000 s * 1e-8, independent: √2 · 10 us (their sum,
  // 20 us, would be a 1σ for errors that always add up).
  EXPECT_NEAR(static_cast<double>(r->esterror.to_nanoseconds()), 14'142.0, 2.0);
  EXPECT_LT(r->esterror, r->maxerror);
}

}  // namespace
