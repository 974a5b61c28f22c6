// `bgm list MANIFEST`: the expanded jobs of a manifest by stage, whether each has a complete result,
// and GPU-hour estimates; --count and --indices give the Slurm scripts array sizes and lists.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <boost/json.hpp>

#include "cli/command.h"
#include "core/error.h"
#include "core/manifest.h"

namespace bgm {
namespace {

// "0-3,7,9-10": Slurm's --array syntax for a sorted list of indices.
std::string array_spec(const std::vector<int64_t>& indices) {
  std::string out;
  for (size_t i = 0; i < indices.size();) {
    size_t j = i;
    while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) ++j;
    out += (out.empty() ? "" : ",") + std::to_string(indices[i]);
    if (j > i) out += "-" + std::to_string(indices[j]);
    i = j + 1;
  }
  return out;
}

std::string hours(double h) {
  char buf[32];
  std::snprintf(buf, sizeof buf, h < 10 ? "%.3f" : "%.1f", h);
  return buf;
}

int run_list(const std::vector<std::string>& args) {
  const ParsedArgs a =
      parse_args(args, "list", {"--stage", "--output", "--calibration"}, {"--pending", "--count", "--json", "--indices", "--path"});
  if (a.positional.size() != 1) throw Error("bgm list: expected one MANIFEST argument (e.g. jobs/demo.json)");
  const Manifest m = load_manifest(a.positional[0], a.get("--output"));
  if (a.has("--path")) {  // the file a bare name resolved to, for the Slurm scripts
    std::cout << std::filesystem::absolute(m.path).lexically_normal().string() << "\n";
    return 0;
  }
  std::vector<std::string> stages = {"init", "train"};
  if (a.has("--stage")) {
    m.stage(a.get("--stage"));  // validates the name
    stages = {a.get("--stage")};
  }
  if (a.has("--indices") && stages.size() != 1)
    throw Error("bgm list: --indices needs --stage init or --stage train (indices count within a stage)");
  const bool pending_only = a.has("--pending");
  Calibration calibration;
  if (a.has("--calibration")) calibration = load_calibration(a.get("--calibration"));
  const Calibration* measured = a.has("--calibration") ? &calibration : nullptr;

  struct Row {
    const ManifestJob* job;
    bool complete;
    double gpu_hours;
    bool calibrated;
  };
  size_t assumed = 0;
  std::vector<Row> rows;
  size_t total_jobs = 0;
  double total_hours = 0, pending_hours = 0;
  for (const auto& s : stages)
    for (const auto& j : m.stage(s)) {
      ++total_jobs;
      bool calibrated = false;
      const double gpu_hours = estimate_gpu_hours(j, measured, &calibrated);
      const Row row{&j, job_complete(j), gpu_hours, calibrated};
      if (!calibrated) ++assumed;
      total_hours += row.gpu_hours;
      if (!row.complete) pending_hours += row.gpu_hours;
      if (!pending_only || !row.complete) rows.push_back(row);
    }

  if (a.has("--count")) {
    std::cout << rows.size() << "\n";
    return 0;
  }
  if (a.has("--indices")) {  // empty line when nothing is left
    std::vector<int64_t> indices;
    for (const auto& r : rows) indices.push_back(r.job->index);
    std::cout << array_spec(indices) << "\n";
    return 0;
  }
  if (a.has("--json")) {
    boost::json::array out;
    for (const auto& r : rows)
      out.push_back(boost::json::object{{"stage", r.job->stage},    {"index", r.job->index},
                                        {"id", r.job->id},          {"dir", r.job->dir},
                                        {"tag", r.job->tag},        {"complete", r.complete},
                                        {"gpu_hours", r.gpu_hours}, {"calibrated", r.calibrated},
                                        {"job", job_to_json(r.job->job)}});
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }

  std::cout << "# " << m.name << " (" << m.path << "): " << m.init_jobs.size() << " adversarial-init + "
            << m.train_jobs.size() << " training jobs\n";
  if (!m.description.empty()) std::cout << "# " << m.description << "\n";
  std::cout << "# stage index status   id               gpu_h  dir  [axes]\n";
  for (const auto& r : rows) {
    char head[64];
    std::snprintf(head, sizeof head, "%-5s %5lld %-8s ", r.job->stage.c_str(), static_cast<long long>(r.job->index),
                  r.complete ? "complete" : "pending");
    std::cout << head << r.job->id.substr(0, 16) << " " << hours(r.gpu_hours) << "  " << r.job->dir << "  ["
              << r.job->tag << "]\n";
  }
  const std::string basis =
      measured ? "measured on " + calibration.gpu + " (" + calibration.path + ")" +
                     (assumed ? ", " + std::to_string(assumed) + " jobs at the assumed A100 speeds (not measured)" : "")
               : "one A100-class GPU, assumed speeds";
  std::cout << "# " << rows.size() << " listed of " << total_jobs << "; estimated GPU-hours (" << basis
            << "; upper bound for stop-rule runs; README \"Cost model\"): " << hours(total_hours) << " in total, "
            << hours(pending_hours) << " not yet complete\n";
  return 0;
}

const CommandRegistration kRegistration{
    {"list", "MANIFEST [--stage init|train] [--pending] [--count|--indices|--json|--path] [--output DIR] [--calibration FILE]",
     "print a manifest's expanded jobs, their stages, status and GPU-hour estimates", run_list,
     "  MANIFEST            a manifest JSON, or the name of one shipped in jobs/ (table2 = jobs/table2.json,\n"
     "                      found beside an installed bgm or through $BGM_SHARE)\n"
     "  --stage init|train  only that stage (default: both)\n"
     "  --pending           only jobs without a complete result\n"
     "  --count             print the number of jobs only\n"
     "  --indices           print the Slurm --array spec of the listed jobs (needs --stage)\n"
     "  --json              one JSON document instead of the table\n"
     "  --path              print the manifest file's absolute path only\n"
     "  --calibration FILE  GPU-hours from measured speeds (the JSON make bench-gpu writes: whole jobs, best\n"
     "                      --jobs-per-gpu K per model and precision) instead of the assumed A100 figures\n"
     "  --output DIR        where results are looked for (default: the manifest's, else results/)\n\n"
     "example: bgm list table2 --stage train --pending --indices"}};

}  // namespace
}  // namespace bgm
