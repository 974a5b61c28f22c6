// Walks the results folder in sorted order; of two copies of a job, the one in its own run folder is counted.
#include "aggregate/result_scan.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <utility>
#include <vector>

#include "aggregate/run_groups.h"
#include "core/error.h"

namespace bgm {

namespace fs = std::filesystem;

namespace {

bool at_home(const RunRecord& run) {
  const std::string suffix = "-" + run.job_id.substr(0, 8);
  return run.folder.size() >= suffix.size() && !run.job_id.empty() &&
         run.folder.compare(run.folder.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A results folder of its own inside this one (make demo's results/demo under results/): its runs are another
// experiment's, aggregated on their own, not pooled into this one's tables.
bool is_nested_results_folder(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir / "runs", ec) || fs::is_directory(dir / "adversarial-init", ec);
}

// "train.lr, train.epochs": the keys whose values differ between two configurations.
std::string differing_keys(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
  std::string keys;
  auto note = [&](const std::string& k) { keys += (keys.empty() ? "" : ", ") + k; };
  for (const auto& [k, v] : a)
    if (auto it = b.find(k); it == b.end() || it->second != v) note(k);
  for (const auto& [k, v] : b)
    if (!a.count(k)) note(k);
  return keys;
}

}  // namespace

ScanResult scan_results(const std::string& results_dir) {
  if (!fs::is_directory(results_dir)) throw Error(results_dir + ": not a folder (expected the results folder)");
  std::vector<std::string> relative_paths;
  ScanResult out;
  for (auto it = fs::recursive_directory_iterator(results_dir, fs::directory_options::skip_permission_denied);
       it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_directory() && is_nested_results_folder(it->path())) {
      it.disable_recursion_pending();
      out.problems.push_back({fs::relative(it->path(), results_dir).generic_string(), "nested",
                              "a results folder of its own (it has runs/ or adversarial-init/); not counted here, "
                              "aggregate it separately"});
      continue;
    }
    if (it->is_regular_file() && it->path().filename() == "result.json")
      relative_paths.push_back(fs::relative(it->path(), results_dir).generic_string());
  }
  std::sort(relative_paths.begin(), relative_paths.end());

  out.files_found = static_cast<int>(relative_paths.size());
  std::vector<RunRecord> readable;
  for (const auto& relative : relative_paths) {
    try {
      readable.push_back(read_result_file((fs::path(results_dir) / relative).string(), relative));
    } catch (const ResultProblem& p) {
      std::string reason = p.what();
      if (reason.rfind(relative + ": ", 0) == 0) reason.erase(0, relative.size() + 2);  // the path is listed beside it
      out.problems.push_back({relative, p.category, reason});
    }
  }
  // A copy at home (its folder ends with its own job id, as `bgm run` names it) wins over stray copies.
  std::stable_sort(readable.begin(), readable.end(), [](const RunRecord& a, const RunRecord& b) {
    return at_home(a) > at_home(b);
  });
  std::map<std::pair<std::string, std::string>, std::string> path_of_job;  // (kind, job_id) -> counted path
  std::vector<RunRecord> accepted;
  for (auto& run : readable) {
    const auto job = std::make_pair(run.kind, run.job_id);
    if (auto seen = path_of_job.find(job); seen != path_of_job.end()) {
      out.problems.push_back({run.path, "duplicate", "job_id " + run.job_id + " already read from " + seen->second +
                                                         "; this copy is not counted"});
      continue;
    }
    path_of_job[job] = run.path;
    accepted.push_back(std::move(run));
  }
  // Same group and seed but another job (e.g. a different schedule): averaging them would mix two experiments.
  std::map<std::pair<GroupKey, int64_t>, const RunRecord*> first_of_seed;
  std::vector<bool> counted(accepted.size(), true);
  for (size_t i = 0; i < accepted.size(); ++i) {
    const RunRecord& run = accepted[i];
    const auto slot = std::make_pair(group_key_of(run), run.seed);
    if (auto seen = first_of_seed.find(slot); seen != first_of_seed.end()) {
      out.problems.push_back({run.path, "conflict",
                              "same group and seed " + std::to_string(run.seed) + " as " + seen->second->path +
                                  " but a different job (job_id " + run.job_id + " vs " + seen->second->job_id +
                                  "); not counted"});
      counted[i] = false;
      continue;
    }
    first_of_seed[slot] = &run;
  }
  // Seeds of one group must be one experiment: a run whose configuration (its job without the seed) differs from
  // the group's most common one, e.g. another lr or epoch count, is not pooled with it.
  using Configuration = std::map<std::string, std::string>;
  std::map<GroupKey, std::map<Configuration, std::vector<size_t>>> runs_by_configuration;
  for (size_t i = 0; i < accepted.size(); ++i)
    if (counted[i] && !accepted[i].configuration.empty())
      runs_by_configuration[group_key_of(accepted[i])][accepted[i].configuration].push_back(i);
  std::map<size_t, std::string> mixed;  // run -> reason, reported in path order
  for (const auto& [key, configurations] : runs_by_configuration) {
    if (configurations.size() < 2) continue;
    // The most runs; ties: the configuration of the first run in path order.
    const auto majority = std::max_element(configurations.begin(), configurations.end(), [](const auto& a, const auto& b) {
      return a.second.size() != b.second.size() ? a.second.size() < b.second.size() : a.second.front() > b.second.front();
    });
    const RunRecord& example = accepted[majority->second.front()];
    for (const auto& [configuration, runs] : configurations) {
      if (configuration == majority->first) continue;
      for (const size_t i : runs)
        mixed[i] = "same group as " + example.path + " but another configuration (differs in " +
                   differing_keys(majority->first, configuration) + "); not counted";
    }
  }
  for (const auto& [i, reason] : mixed) {
    out.problems.push_back({accepted[i].path, "mixed", reason});
    counted[i] = false;
  }
  for (size_t i = 0; i < accepted.size(); ++i)
    if (counted[i]) out.runs.push_back(std::move(accepted[i]));
  return out;
}

}  // namespace bgm
