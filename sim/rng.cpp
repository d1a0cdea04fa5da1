// SPDX-License-Identifier: BSD-2-Clause
#include "sim/rng.hpp"

#include <cmath>

namespace ffclock::sim {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

namespace {
constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Rng::Rng(uint64_t seed, uint64_t stream) {
  uint64_t sm = seed ^ (stream * 0xD1B54A32D192ED03ULL);
  for (uint64_t& s : s_) s = splitmix64(sm);
}

uint64_t Rng::next() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::uniform_open0() { return (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53; }

double Rng::exponential(double mean) {
  const double u = uniform_open0();  // drawn even for mean 0: draw counts stay fixed
  if (!(mean > 0)) return 0;
  return -mean * std::log(u);
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u = 0, v = 0, s = 0;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return u * f;
}

double Rng::pareto(double mean, double alpha) {
  const double u = uniform_open0();
  if (!(mean > 0) || !(alpha > 1)) return 0;
  const double scale = mean * (alpha - 1.0);
  return scale * (std::pow(u, -1.0 / alpha) - 1.0);
}

}  // namespace ffclock::sim
