// Group keys and seed grouping of result records.
#include "aggregate/run_groups.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "aggregate/seed_stats.h"

namespace bgm {

std::string format_number(double value, int precision) {
  if (std::isnan(value)) return "";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", precision, value);
  return buffer;
}

// %g drops trailing zeros, so N = 0.1 reads "0.1", not "0.100000".
std::string train_subset_text(int64_t train_subset, SubsetPick pick) {
  if (train_subset == 0) return "all";
  return (pick == SubsetPick::kFirst ? "first " : "") + std::to_string(train_subset);
}

std::string GroupKey::panel() const {
  std::string out = dataset + " " + model;
  if (train_subset > 0) out += (subset_pick == SubsetPick::kFirst ? " first n=" : " n=") + std::to_string(train_subset);
  if (behaviour != "paper") out += " [" + behaviour + "]";
  return out;
}

std::string GroupKey::series() const {
  std::string out = kind == "adversarial-init" ? std::string("adversarial-init") : init_kind + " " + mode;
  if (kind == "adversarial-init" || init_kind == "adversarial")
    out += " R=" + std::to_string(replicas) + " N=" + short_number(zero_fraction);
  return out;
}

std::string GroupKey::label() const { return panel() + " | " + series(); }

GroupKey group_key_of(const RunRecord& run) {
  GroupKey key;
  key.kind = run.kind;
  key.dataset = run.dataset;
  key.model = run.model;
  key.init_kind = run.kind == "adversarial-init" ? std::string("adversarial") : run.init_kind;
  // The random-label stage is shared by every mode trained from it: its "mode" is not part of its identity.
  key.mode = run.kind == "adversarial-init" ? std::string("-") : run.mode;
  key.behaviour = run.behaviour;
  key.replicas = run.replicas;
  key.zero_fraction = run.zero_fraction;
  key.train_subset = run.train_subset;
  key.subset_pick = run.train_subset > 0 ? run.subset_pick : SubsetPick::kRandom;  // a test-only subset does not split groups
  return key;
}

std::vector<RunGroup> group_runs(const std::vector<RunRecord>& runs, int expected_seeds) {
  std::map<GroupKey, RunGroup> by_key;
  for (const auto& run : runs) {
    RunGroup& g = by_key[group_key_of(run)];
    g.key = group_key_of(run);
    g.runs.push_back(&run);
  }
  std::vector<RunGroup> out;
  for (auto& kv : by_key) {
    RunGroup& g = kv.second;
    std::sort(g.runs.begin(), g.runs.end(), [](const RunRecord* a, const RunRecord* b) { return a->seed < b->seed; });
    g.short_of_seeds = static_cast<int>(g.runs.size()) < expected_seeds;
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace bgm
