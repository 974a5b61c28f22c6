// problems.md: every result file not counted and every group short of seeds, with path and reason.
#pragma once
#include <string>
#include <vector>

#include "aggregate/result_scan.h"
#include "aggregate/run_groups.h"

namespace bgm {

// One issue per group with fewer seeds than expected.
std::vector<ResultIssue> missing_seed_issues(const std::vector<RunGroup>& groups, int expected_seeds);

std::string render_problems(const ScanResult& scan, const std::vector<ResultIssue>& problems, size_t group_count,
                            int expected_seeds);
// groups.csv: each group, its seeds and final numbers, so a reader can see what every table cell was built from.
std::string render_groups_csv(const std::vector<RunGroup>& groups);

}  // namespace bgm
