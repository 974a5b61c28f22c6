// Groups runs that differ only in the seed, and reduces their numbers over seeds.
#pragma once
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "aggregate/result_reader.h"

namespace bgm {

// "all", "10000" (seeded random examples) or "first 10000" (file order): a training subset in tables.
std::string train_subset_text(int64_t train_subset, SubsetPick pick);

// (dataset, model, init kind, mode, R, N, train subset and how it was picked, behaviour); adversarial-init results
// use mode "-".
struct GroupKey {
  std::string kind, dataset, model, init_kind, mode, behaviour;
  int64_t replicas = 0;
  double zero_fraction = 0;
  int64_t train_subset = 0;
  SubsetPick subset_pick = SubsetPick::kRandom;

  auto tied() const {
    return std::tie(dataset, model, train_subset, subset_pick, behaviour, kind, init_kind, replicas, zero_fraction, mode);
  }
  bool operator<(const GroupKey& o) const { return tied() < o.tied(); }
  bool operator==(const GroupKey& o) const { return tied() == o.tied(); }
  // "cifar10 resnet18 adversarial vanilla R=10 N=0.1 n_train=all paper": names the group in reports.
  std::string label() const;
  std::string panel() const;   // dataset, model, subset and behaviour: one figure panel / table block
  std::string series() const;  // init kind, mode, R and N: one line in a panel
};

GroupKey group_key_of(const RunRecord& run);

struct RunGroup {
  GroupKey key;
  std::vector<const RunRecord*> runs;  // sorted by seed
  bool short_of_seeds = false;         // fewer seeds than expected
};

// Groups `runs` (which must outlive the result); expected_seeds marks groups with fewer.
std::vector<RunGroup> group_runs(const std::vector<RunRecord>& runs, int expected_seeds);

std::string format_number(double value, int precision);  // "%.*f"; "nan" never printed: empty for NaN

}  // namespace bgm
