// Bookkeeping outputs: problems.md and groups.csv.
#include "aggregate/problems_report.h"

#include <cstdio>

#include "aggregate/seed_stats.h"

namespace bgm {

namespace {

std::string markdown_safe(std::string text) {
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '|' || text[i] == '\n') text.replace(i, 1, text[i] == '|' ? "\\|" : " "), ++i;
  return text;
}

}  // namespace

std::vector<ResultIssue> missing_seed_issues(const std::vector<RunGroup>& groups, int expected_seeds) {
  std::vector<ResultIssue> out;
  for (const auto& g : groups) {
    if (static_cast<int>(g.runs.size()) >= expected_seeds) continue;
    std::string seeds;
    for (const RunRecord* r : g.runs) seeds += (seeds.empty() ? "" : " ") + std::to_string(r->seed);
    out.push_back({g.key.label(), "missing-seeds",
                   std::to_string(g.runs.size()) + " of " + std::to_string(expected_seeds) + " seeds (have: " + seeds + ")"});
  }
  return out;
}

std::string render_problems(const ScanResult& scan, const std::vector<ResultIssue>& problems, size_t group_count,
                            int expected_seeds) {
  std::string out = "# Aggregation problems\n\n";
  out += "- result.json files found: " + std::to_string(scan.files_found) + "\n";
  out += "- runs counted: " + std::to_string(scan.runs.size()) + " in " + std::to_string(group_count) + " groups\n";
  out += "- seeds expected per group: " + std::to_string(expected_seeds) + "\n";
  out += "- problems: " + std::to_string(problems.size()) + "\n\n";
  if (problems.empty()) return out + "None: every file was read and every group has all its seeds.\n";
  out += "| file or group | problem | reason |\n|---|---|---|\n";
  for (const auto& p : problems)
    out += "| " + markdown_safe(p.path) + " | " + p.category + " | " + markdown_safe(p.reason) + " |\n";
  return out;
}

std::string render_groups_csv(const std::vector<RunGroup>& groups) {
  std::string out = "panel,series,kind,n,seeds,short_of_seeds,train_acc_mean,test_acc_mean,test_acc_std,test_acc_min,"
                    "test_acc_max,epochs_mean\n";
  for (const auto& g : groups) {
    std::string seeds;
    std::vector<double> train_acc, test_acc, epochs;
    for (const RunRecord* r : g.runs) {
      seeds += (seeds.empty() ? "" : " ") + std::to_string(r->seed);
      if (r->train_acc) train_acc.push_back(*r->train_acc);
      if (r->test_acc) test_acc.push_back(*r->test_acc);
      epochs.push_back(static_cast<double>(r->epochs));
    }
    const SeedStats te = reduce_over_seeds(test_acc);
    out += g.key.panel() + "," + g.key.series() + "," + g.key.kind + "," + std::to_string(g.runs.size()) + "," + seeds +
           "," + (g.short_of_seeds ? "yes" : "no") + "," + short_number(reduce_over_seeds(train_acc).mean) + "," + short_number(te.mean) +
           "," + short_number(te.std) + "," + short_number(te.min) + "," + short_number(te.max) + "," + short_number(reduce_over_seeds(epochs).mean) + "\n";
  }
  return out;
}

}  // namespace bgm
