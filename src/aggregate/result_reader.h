// One result.json (core/result_schema.h) read into what the tables and figures need.
// read_result_file() throws ResultProblem with a reason for files that cannot be used.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/job_enums.h"

namespace bgm {

// Why a result file is not used; `category` is one of: unreadable, other-schema, partial.
struct ResultProblem : std::runtime_error {
  ResultProblem(std::string category_, const std::string& reason)
      : std::runtime_error(reason), category(std::move(category_)) {}
  std::string category;
};

using NormValues = std::map<std::string, double>;  // frobenius, l1_path, l2_path, spectral

struct CurvePoint {
  int64_t epoch = 0;
  std::optional<double> train_acc, test_acc, train_loss, test_loss;
  NormValues norms;
};

struct RunRecord {
  std::string path;      // as found, relative to the results folder
  std::string folder;    // the folder holding it (relative), for grid files
  std::string kind;      // train | adversarial-init
  std::string job_id;
  // What identifies the experiment (the group key) and the seed.
  std::string dataset, model, init_kind, mode, behaviour;
  int64_t replicas = 0;        // R; 0 for random init
  double zero_fraction = 0;    // N
  int64_t train_subset = 0;
  SubsetPick subset_pick = SubsetPick::kRandom;  // job.dataset.subset_pick: which train_subset examples
  int64_t seed = 0;
  // Final numbers; accuracies in percent.
  int64_t epochs = 0;
  std::optional<double> train_acc, test_acc, train_loss, test_loss, accuracy_on_c;
  // distance[pair][which]: pair init_final | w0r_final | w0r_w0a, which params | state.
  std::map<std::string, std::map<std::string, double>> distance;
  std::map<std::string, NormValues> norms;  // init | final
  std::vector<double> fgsm_eps, fgsm_accuracy;
  std::string toy_grid_file, toy_points_file;  // relative to the results folder; empty when none
  std::vector<CurvePoint> curve;
  // The experiment without its seed: the job's identity (core/job_spec.h) with the seed, and Algorithm 1's label
  // seed where it follows the seed, set to 0, flattened to "key.path" -> value. The seeds pooled in one group must
  // share it. Empty for adversarial-init results and for jobs this version cannot parse (not checked).
  std::map<std::string, std::string> configuration;
};

// `path` is opened as is; `shown_path` is how reports name it (relative to the results folder).
RunRecord read_result_file(const std::string& path, const std::string& shown_path);

}  // namespace bgm
