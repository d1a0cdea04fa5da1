// SPDX-License-Identifier: BSD-2-Clause
// Cost of one Estimator::add() in steady state (full algorithm, every window filled): the
// per-exchange work that bounds how fast the simulator runs a year.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/estimator/estimator.hpp"
#include "core/exchange.hpp"
#include "ffclock/time.hpp"

namespace {

using ffclock::Duration;
using ffclock::UtcTime;
using ffclock::core::Estimator;
using ffclock::core::EstimatorConfig;
using ffclock::core::Exchange;

// LAN-like exchanges at poll 16 s from a +100 ppm counter (deterministic LCG delays).
std::vector<Exchange> make_exchanges(std::size_t n) {
  std::vector<Exchange> out(n);
  uint64_t state = 12345;
  auto expo = [&state](double mean) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = (static_cast<double>(state >> 11) + 0.5) / 9007199254740992.0;
    return -mean * std::log(u);
  };
  const UtcTime start = UtcTime::from_unix(1'700'000'000);
  const long double period = 1e-9L / (1 + 100e-6L);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = 16.0 * static_cast<double>(i);
    const double up = 100e-6 + expo(10e-6), down = 100e-6 + expo(10e-6), hold = 10e-6;
    Exchange& ex = out[i];
    ex.ta = 1'000'000'000 + static_cast<uint64_t>(std::llround(t / period));
    ex.tb = start + Duration::from_seconds(t + up);
    ex.te = ex.tb + Duration::from_seconds(hold);
    ex.tf = 1'000'000'000 + static_cast<uint64_t>(std::llround((t + up + hold + down) / period));
    ex.server.stratum = 1;
    ex.server.refid = 0x47505300;
  }
  return out;
}

void run_add(benchmark::State& state, const EstimatorConfig& config) {
  const std::vector<Exchange> exchanges = make_exchanges(20000);
  Estimator est{config};
  const std::size_t warm = 2000;  // past warm-up, every window full
  for (std::size_t i = 0; i < warm; ++i) est.add(exchanges[i]);
  std::size_t i = warm;
  for (auto _ : state) {
    if (i == exchanges.size()) {
      state.PauseTiming();
      est = Estimator{config};
      for (i = 0; i < warm; ++i) est.add(exchanges[i]);
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(est.add(exchanges[i++]));
  }
}

// The default configuration: fit windows and Kalman candidates.
void BM_EstimatorAdd(benchmark::State& state) { run_add(state, EstimatorConfig{}); }
BENCHMARK(BM_EstimatorAdd);

// The fit windows alone, up to 256 stamps, as before the Kalman candidates: what they cost.
void BM_EstimatorAddWindowsOnly(benchmark::State& state) {
  EstimatorConfig config;
  config.kalman_candidates = 0;
  config.fit_window_max = 256;
  run_add(state, config);
}
BENCHMARK(BM_EstimatorAddWindowsOnly);

}  // namespace
