// SPDX-License-Identifier: BSD-2-Clause
#include "sim/svg_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace ffclock::sim {

namespace {

constexpr double kWidth = 1000, kHeight = 520;
constexpr double kLeft = 90, kRight = 30, kTop = 60, kBottom = 70;

// A "nice" tick step (1, 2 or 5 times a power of ten) giving about `n` ticks over `range`.
double nice_step(double range, int n) {
  const double raw = range / n;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string render_svg(const RunResult& run, const PlotLabels& labels) {
  const std::vector<SeriesPoint>& pts = run.series;
  const double pw = kWidth - kLeft - kRight, ph = kHeight - kTop - kBottom;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"13\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      kWidth, kHeight);
  svg += fmt::format("<text x=\"{}\" y=\"24\" font-size=\"17\" font-weight=\"bold\">{}</text>\n", kLeft,
                     escape(labels.title));
  svg += fmt::format("<text x=\"{}\" y=\"44\" fill=\"#444\">{}</text>\n", kLeft, escape(labels.subtitle));
  if (pts.empty()) {
    svg += fmt::format("<text x=\"{}\" y=\"{}\">no published clock in the measured window</text>\n</svg>\n",
                       kLeft, kTop + ph / 2);
    return svg;
  }

  // X: hours (or days for long runs) since the end of the warm-up.
  const double span_s = pts.back().t_s + 1;
  const bool days = span_s > 3 * 86400.0;
  const double unit = days ? 86400.0 : 3600.0;
  const double xmax = span_s / unit;
  // Y: symmetric, wide enough for the error; the bound band is clipped if it is much wider.
  double max_err = 0;
  std::vector<double> bounds;
  for (const SeriesPoint& p : pts) {
    max_err = std::max({max_err, std::fabs(p.err_min_us), std::fabs(p.err_max_us)});
    bounds.push_back(p.bound_mean_us);
  }
  std::nth_element(bounds.begin(), bounds.begin() + static_cast<long>(bounds.size() / 2), bounds.end());
  const double median_bound = bounds[bounds.size() / 2];
  double ymax = 1.1 * std::max(max_err, std::min(median_bound, 4 * std::max(max_err, 1e-3)));
  if (!(ymax > 0)) ymax = 1;
  const auto X = [&](double t_s) { return kLeft + pw * (t_s / unit) / xmax; };
  const auto Y = [&](double us) { return kTop + ph * (0.5 - 0.5 * std::clamp(us / ymax, -1.05, 1.05)); };

  svg += fmt::format(
      "<defs><clipPath id=\"plot\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>\n",
      kLeft, kTop, pw, ph);
  // Grid and ticks.
  const double ystep = nice_step(2 * ymax, 8);
  for (double v = -std::floor(ymax / ystep) * ystep; v <= ymax + 1e-12; v += ystep) {
    svg += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e4e4e4\"/>\n", kLeft,
                       kLeft + pw, Y(v), Y(v));
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{:g}</text>\n", kLeft - 6, Y(v) + 4,
                       std::fabs(v) < ystep * 1e-6 ? 0.0 : v);
  }
  const double xstep = nice_step(xmax, 10);
  for (double v = 0; v <= xmax + 1e-12; v += xstep) {
    const double x = kLeft + pw * v / xmax;
    svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#e4e4e4\"/>\n", x,
                       kTop, kTop + ph);
    svg +=
        fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{:g}</text>\n", x, kTop + ph + 18, v);
  }

  // ±bound band, error min–max band, mean error line.
  std::string upper, lower, emax, emin, line;
  for (const SeriesPoint& p : pts) {
    const double x = X(p.t_s);
    upper += fmt::format("{:.1f},{:.1f} ", x, Y(p.bound_mean_us));
    emax += fmt::format("{:.1f},{:.1f} ", x, Y(p.err_max_us));
    line += fmt::format("{:.1f},{:.1f} ", x, Y(p.err_mean_us));
  }
  for (auto it = pts.rbegin(); it != pts.rend(); ++it) {
    const double x = X(it->t_s);
    lower += fmt::format("{:.1f},{:.1f} ", x, Y(-it->bound_mean_us));
    emin += fmt::format("{:.1f},{:.1f} ", x, Y(it->err_min_us));
  }
  svg += "<g clip-path=\"url(#plot)\">\n";
  svg += fmt::format("<polygon points=\"{}{}\" fill=\"#9ecae1\" fill-opacity=\"0.45\" stroke=\"none\"/>\n",
                     upper, lower);
  svg += fmt::format("<polygon points=\"{}{}\" fill=\"#fc9272\" fill-opacity=\"0.6\" stroke=\"none\"/>\n",
                     emax, emin);
  svg +=
      fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"#cb181d\" stroke-width=\"1.2\"/>\n", line);
  svg += fmt::format(
      "<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\" stroke-width=\"0.8\"/>\n", kLeft,
      kLeft + pw, Y(0), Y(0));
  svg += "</g>\n";
  // Axes and labels.
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#333\"/>\n",
                     kLeft, kTop, pw, ph);
  svg += fmt::format(
      "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">time since the end of the warm-up ({})</text>\n",
      kLeft + pw / 2, kHeight - 25, days ? "days" : "hours");
  svg += fmt::format(
      "<text transform=\"translate(24,{}) rotate(-90)\" text-anchor=\"middle\">published − true time "
      "(µs)</text>\n",
      kTop + ph / 2);
  // Legend.
  const double lx = kLeft + pw - 330, ly = kTop + 10;
  svg += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"322\" height=\"66\" fill=\"white\" fill-opacity=\"0.85\" "
      "stroke=\"#999\"/>\n",
      lx, ly);
  svg += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"10\" fill=\"#9ecae1\" fill-opacity=\"0.7\"/>\n", lx + 8,
      ly + 8);
  svg += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", lx + 38, ly + 17,
                     median_bound > ymax
                         ? fmt::format("bound ±maxerror (median ±{:.0f} µs: off scale)", median_bound)
                         : std::string("published bound ±maxerror (mean)"));
  svg +=
      fmt::format("<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"10\" fill=\"#fc9272\"/>\n", lx + 8, ly + 28);
  svg += fmt::format("<text x=\"{}\" y=\"{}\">error, min–max per {:g} s bucket</text>\n", lx + 38, ly + 37,
                     pts.size() > 1 ? pts[1].t_s - pts[0].t_s : 1.0);
  svg +=
      fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#cb181d\" stroke-width=\"2\"/>\n",
                  lx + 8, lx + 30, ly + 53, ly + 53);
  svg += fmt::format("<text x=\"{}\" y=\"{}\">error, bucket mean</text>\n", lx + 38, ly + 57);
  svg += "</svg>\n";
  return svg;
}

}  // namespace ffclock::sim
