// SPDX-License-Identifier: BSD-2-Clause
// The reader against pages published by the real writer: now(), bounds, elapsed(),
// monotonic(), snapshot, open errors, the page file and wait_for_update().
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "page_fixture.hpp"

using namespace ffclock;
using namespace ffclock::testing;

namespace {

const UtcTime kT0 = UtcTime::from_unix(1'790'000'000, 0x4000000000000000ull);  // .25 s

TEST(Reader, NowMatchesClockParams) {
  MemoryPage mp;
  const auto in = synced_input(mp.counter.read(), kT0);
  mp.writer.publish(in);
  Clock clock = mp.reader();
  mp.counter.advance(2'500'000'000ull);  // 2.5 s later
  const auto r = clock.read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->utc, in.params.time_at(mp.counter.read()));
  EXPECT_EQ(r->tai, to_tai(r->utc, 37));
  EXPECT_EQ(r->tai_minus_utc, 37);
  EXPECT_EQ(r->status, ClockStatus::Synchronized);
  EXPECT_EQ(r->leap, LeapState::None);
  EXPECT_EQ(r->counter, mp.counter.read());
  // bound = 100 us + 2.5 s * 1 ppm = 102.5 us
  EXPECT_NEAR(static_cast<double>(r->maxerror.to_nanoseconds()), 102'500.0, 2.0);
  EXPECT_EQ(r->earliest, r->utc - r->maxerror);
  EXPECT_EQ(r->latest, r->utc + r->maxerror);
  // now() and now_fast() are read()'s projections (the test counter stands still).
  const auto bounded = clock.now();
  ASSERT_TRUE(bounded.has_value());
  EXPECT_EQ(bounded->utc, r->utc);
  EXPECT_EQ(bounded->maxerror, r->maxerror);
  EXPECT_EQ(bounded->earliest(), r->earliest);
  EXPECT_EQ(bounded->latest(), r->latest);
  EXPECT_EQ(bounded->status, ClockStatus::Synchronized);
  const auto fast = clock.now_fast();
  ASSERT_TRUE(fast.has_value());
  EXPECT_EQ(fast->utc, r->utc);
  EXPECT_EQ(fast->status, ClockStatus::Synchronized);
}

TEST(Reader, BeforeFirstPublicationIsNotPublished) {
  MemoryPage mp;
  Clock clock = mp.reader();  // custom counter: reads work, status UNKNOWN
  const auto r = clock.now();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, ClockStatus::Unknown);
  EXPECT_EQ(r->maxerror, kUnbounded);
  EXPECT_EQ(clock.read()->maxerror, kUnbounded);
  EXPECT_EQ(clock.monotonic().error(), ReadError::NotPublished);
  // Without a counter override the INVALID counter id cannot be read.
  ClockOptions o;
  o.host_vmclock_path.clear();
  auto plain = Clock::over_memory(mp.buf->bytes, sizeof mp.buf->bytes, o);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->now().error(), ReadError::NotPublished);
}

TEST(Reader, ElapsedUsesLongTermPeriodOnly) {
  MemoryPage mp;
  auto in = synced_input(mp.counter.read(), kT0);
  in.params.period = CounterPeriod::from_seconds(1e-9L * (1 + 50e-6L));
  in.params.local_period = CounterPeriod::from_seconds(1e-9L * (1 - 50e-6L));
  mp.writer.publish(in);
  Clock clock = mp.reader();
  const auto e = clock.elapsed(1000, 1000 + 1'000'000'000ull);
  ASSERT_TRUE(e.has_value());
  EXPECT_NEAR(e->to_seconds(), 1.0 + 50e-6, 1e-12);
  const auto back = clock.elapsed(1'000'000'000ull, 0);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, -*e);
  // An offset change (a new anchor time) does not change the difference clock.
  in.params.anchor_time += Duration::milliseconds(3);
  mp.writer.publish(in);
  EXPECT_EQ(*clock.elapsed(1000, 1000 + 1'000'000'000ull), *e);
}

TEST(Reader, MonotonicNeverDecreasesAcrossStepsAndClampsBehindAnchor) {
  MemoryPage mp;
  auto in = synced_input(mp.counter.read(), kT0);
  mp.writer.publish(in);
  Clock clock = mp.reader();
  Duration last = *clock.monotonic();
  for (int i = 0; i < 50; ++i) {
    mp.counter.advance(700'000'000ull);
    const Duration m = *clock.monotonic();
    ASSERT_GE(m, last);
    last = m;
    // Reference step of -5 s every 10th publication, slope changes otherwise.
    in.params.anchor_counter = mp.counter.read();
    in.params.anchor_time = in.params.anchor_time + Duration::milliseconds(700) +
                            (i % 10 == 9 ? Duration::seconds(-5) : Duration::microseconds(50));
    in.params.local_period = CounterPeriod::from_seconds(1e-9L * (1 + (i % 7 - 3) * 20e-6L));
    in.reference_step = i % 10 == 9;
    const uint64_t c0 = mp.writer.publish(in);
    const Duration after = *clock.monotonic();
    ASSERT_EQ(after, m) << "publication at the same counter must not move monotonic time";
    ASSERT_EQ(c0, mp.counter.read());
  }
  EXPECT_EQ(mp.writer.state().step_generation, 5u);
  // A counter behind the anchor (cross-CPU skew) is clamped, not extrapolated backwards.
  const Duration at_anchor = *clock.monotonic();
  mp.counter.set(mp.counter.read() - 1'000'000);
  EXPECT_EQ(*clock.monotonic(), at_anchor);
}

TEST(Reader, SnapshotIsConsistent) {
  MemoryPage mp;
  mp.writer.publish(synced_input(mp.counter.read(), kT0));
  Clock clock = mp.reader();
  const auto s = clock.snapshot();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->vmclock.seq_count, 2u);
  EXPECT_EQ(s->ext.heartbeat_count, 1u);
  EXPECT_EQ(s->vmclock.counter_value, 1'000'000'000'000ull);
  const auto d = core::decode_page(*s, FFCLOCK_PAGE_SIZE);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->input.params.anchor_time, kT0);
}

TEST(Reader, OverMemoryValidation) {
  MemoryPage mp;
  ClockOptions o;
  o.host_vmclock_path.clear();
  EXPECT_EQ(Clock::over_memory(mp.buf->bytes, 50, o).error(), OpenError::TooSmall);
  EXPECT_EQ(Clock::over_memory(mp.buf->bytes, 200, o).error(), OpenError::BadSize);
  auto* page = reinterpret_cast<ffclock_page*>(mp.buf->bytes);
  page->ext.version = 7;
  EXPECT_EQ(Clock::over_memory(mp.buf->bytes, sizeof mp.buf->bytes, o).error(), OpenError::BadExtVersion);
  page->ext.magic = 0;
  EXPECT_EQ(Clock::over_memory(mp.buf->bytes, sizeof mp.buf->bytes, o).error(), OpenError::NoExtension);
  page->vmclock.version = 3;
  EXPECT_EQ(Clock::over_memory(mp.buf->bytes, sizeof mp.buf->bytes, o).error(), OpenError::BadVersion);
  page->vmclock.magic = 0;
  EXPECT_EQ(Clock::over_memory(mp.buf->bytes, sizeof mp.buf->bytes, o).error(), OpenError::BadMagic);
  EXPECT_STREQ(to_string(OpenError::BadMagic), "not a clock page (bad vmclock magic)");
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ffclock-page-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    const std::string cmd = "rm -rf '" + dir_ + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  std::string dir_;
};

TEST_F(TempDir, OpenErrorsAreClear) {
  EXPECT_EQ(Clock::open(dir_ + "/absent").error(), OpenError::NotFound);
  const std::string foreign = dir_ + "/foreign";
  FILE* f = std::fopen(foreign.c_str(), "w");
  ASSERT_NE(f, nullptr);
  for (int i = 0; i < 512; ++i) std::fputs("not a clock page ", f);
  std::fclose(f);
  EXPECT_EQ(Clock::open(foreign).error(), OpenError::BadMagic);
  const std::string tiny = dir_ + "/tiny";
  f = std::fopen(tiny.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("VCLK", f);
  std::fclose(f);
  EXPECT_EQ(Clock::open(tiny).error(), OpenError::TooSmall);
}

TEST_F(TempDir, WriterCreatesReadablePageAndRestartKeepsInode) {
  const std::string path = dir_ + "/page";
  platform::FakeCounter counter(1'000'000'000'000ull);
  struct stat st1 {};
  {
    auto w = platform::PageWriter::open_file(path, counter);
    ASSERT_TRUE(w.has_value()) << w.error().message;
    ASSERT_EQ(stat(path.c_str(), &st1), 0);
    EXPECT_EQ(st1.st_mode & 0777, 0644u);
    EXPECT_EQ(st1.st_size, FFCLOCK_PAGE_SIZE);
    w.value().publish(synced_input(counter.read(), kT0));
    counter.advance(1'000'000'000);
    w.value().publish(synced_input(counter.read(), kT0 + Duration::seconds(1)));
  }
  ClockOptions o;
  o.host_vmclock_path.clear();
  o.counter = &read_fake;
  o.counter_ctx = &counter;
  auto clock = Clock::open(path, o);
  ASSERT_TRUE(clock.has_value()) << to_string(clock.error());
  EXPECT_EQ(clock->now()->utc, kT0 + Duration::seconds(1));
  const Duration mono_before = *clock->monotonic();
  EXPECT_NEAR(mono_before.to_seconds(), 1.0, 1e-9);
  // Restart: same inode, monotonic continues from where it was, heartbeat continues.
  auto w2 = platform::PageWriter::open_file(path, counter);
  ASSERT_TRUE(w2.has_value());
  struct stat st2 {};
  ASSERT_EQ(stat(path.c_str(), &st2), 0);
  EXPECT_EQ(st1.st_ino, st2.st_ino);
  EXPECT_EQ(w2->state().heartbeat_count, 2u);
  w2.value().publish(synced_input(counter.read(), kT0 + Duration::seconds(1)));
  EXPECT_EQ(*clock->monotonic(), mono_before);  // the open reader sees the restarted writer
  EXPECT_EQ(clock->snapshot()->ext.heartbeat_count, 3u);
  // A foreign file at the path is replaced atomically.
  const std::string other = dir_ + "/other";
  FILE* f = std::fopen(other.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("junk", f);
  std::fclose(f);
  auto w3 = platform::PageWriter::open_file(other, counter);
  ASSERT_TRUE(w3.has_value());
  EXPECT_TRUE(Clock::open(other, o).has_value());
}

TEST(Reader, WaitForUpdateWakesOnPublication) {
  MemoryPage mp;
  mp.writer.publish(synced_input(mp.counter.read(), kT0));
  Clock clock = mp.reader();
  EXPECT_FALSE(clock.wait_for_update(Duration::milliseconds(20)));  // nothing changes: timeout
  const auto in = synced_input(mp.counter.read(), kT0);
  std::thread publisher([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    mp.writer.publish(in);
  });
  EXPECT_TRUE(clock.wait_for_update(Duration::seconds(10)));
  publisher.join();
  EXPECT_EQ(clock.snapshot()->ext.heartbeat_count, 2u);
}

TEST(Reader, WaitForStepSleepsThroughOrdinaryPublicationsAndWakesOnAStep) {
  MemoryPage mp;
  const auto in = synced_input(mp.counter.read(), kT0);
  mp.writer.publish(in);
  Clock clock = mp.reader();
  const uint64_t g0 = clock.snapshot()->ext.step_generation;
  EXPECT_EQ(clock.wait_for_step(g0 + 7, Duration::seconds(10)),
            std::optional<uint64_t>(g0));                                         // already differs
  EXPECT_FALSE(clock.wait_for_step(g0, Duration::milliseconds(20)).has_value());  // nothing: timeout
  std::thread publisher([&] {
    for (int i = 0; i < 3; ++i) {  // ordinary publications: no step
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      mp.writer.publish(in);
    }
    core::PageInput stepped = in;
    stepped.reference_step = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    mp.writer.publish(stepped);
  });
  const auto g = clock.wait_for_step(g0, Duration::seconds(10));
  publisher.join();
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(*g, g0 + 1);
  EXPECT_EQ(clock.snapshot()->ext.heartbeat_count, 5u);  // it woke for the fifth publication
}

}  // namespace
