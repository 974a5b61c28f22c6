// Reduction of one quantity over the seeds of a group: mean, sample std, min, max, n.
#pragma once
#include <cmath>
#include <string>
#include <vector>

namespace bgm {

struct SeedStats {
  int n = 0;
  double mean = NAN;
  double std = NAN;  // sample standard deviation (n-1); NaN when n < 2, so no "± 0" is ever shown for one seed
  double min = NAN;
  double max = NAN;
};

SeedStats reduce_over_seeds(const std::vector<double>& values);

// A statistic in CSV and reports: 6 significant digits (%.6g), empty for NaN (no runs, or n < 2 for std).
std::string short_number(double v);

}  // namespace bgm
