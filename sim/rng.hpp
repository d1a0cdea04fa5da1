// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The simulator's own pseudo-random numbers: xoshiro256** seeded through splitmix64, with
// hand-written uniform, exponential, normal and Pareto draws, so that a (scenario, seed) pair
// gives bit-identical runs on every standard library (std::*_distribution is not portable).

#include <cstdint>

namespace ffclock::sim {

// splitmix64: used to expand one 64-bit seed into a generator state and to derive streams.
uint64_t splitmix64(uint64_t& state);

class Rng {
 public:
  // `stream` separates independent models (oscillator, each network direction, ...) so that
  // changing how many draws one model takes does not perturb the others.
  explicit Rng(uint64_t seed, uint64_t stream = 0);

  uint64_t next();
  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  // Uniform in (0, 1]: safe to take the logarithm of.
  double uniform_open0();
  bool bernoulli(double p) { return p > 0 && uniform() < p; }
  // Exponential with the given mean (inverse transform).
  double exponential(double mean);
  // Standard normal (Marsaglia's polar method; the spare value is cached).
  double normal();
  double normal(double mean, double sigma) { return mean + sigma * normal(); }
  // Pareto (Lomax, shifted to start at 0) with the given mean and tail index alpha > 1:
  // heavy-tailed queuing delay, P(X > x) = (1 + x/scale)^-alpha, scale = mean (alpha - 1).
  double pareto(double mean, double alpha);

 private:
  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace ffclock::sim
