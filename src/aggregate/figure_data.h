// Tidy CSVs behind the paper's figures: 1 (toy decision regions), 2/3 (curves), 4 (R sweep), 5 (norms), 6 (FGSM).
#pragma once
#include <string>
#include <vector>

#include "aggregate/result_scan.h"
#include "aggregate/run_groups.h"

namespace bgm {

// Writes fig1_toy.csv (+ the copied grids), fig23_curves.csv, fig4_replicas.csv, fig5_norms.csv, fig6_fgsm.csv
// into out_dir. Missing toy grid files are returned as problems.
std::vector<ResultIssue> write_figure_data(const std::vector<RunGroup>& groups, const std::string& results_dir,
                                           const std::string& out_dir);

}  // namespace bgm
