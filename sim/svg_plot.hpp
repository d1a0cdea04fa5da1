// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A hand-written SVG of one run's measured window: the published clock's error over time
// (mean line, min–max band within each plot bucket) over the ±bound band, with labelled
// axes and a legend. No plotting library: the file opens in any browser.

#include <string>

#include "sim/simulation.hpp"

namespace ffclock::sim {

struct PlotLabels {
  std::string title;     // e.g. "lan, seed 1, estimator radclock"
  std::string subtitle;  // e.g. "RMS 1.9 us, coverage 0.999"
};

std::string render_svg(const RunResult& run, const PlotLabels& labels);

}  // namespace ffclock::sim
