// Table layouts follow the paper: Table 1's seven distance columns, Table 2's modes x {random, adversarial}.
// A "block" is one (dataset, model, train subset, behaviour); adversarial rows also carry (R, N).
#include "aggregate/paper_tables.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "core/job_presets.h"

namespace bgm {

namespace {

// dataset, model, subset size, subset pick, behaviour
using Block = std::tuple<std::string, std::string, int64_t, SubsetPick, std::string>;
using Replication = std::pair<int64_t, double>;                           // R, N
using RunValue = std::function<std::optional<double>(const RunRecord&)>;

Block block_of(const GroupKey& k) { return {k.dataset, k.model, k.train_subset, k.subset_pick, k.behaviour}; }

// The paper's number for a block's cell; none for a training subset, since the paper trained on whole splits.
std::optional<PaperValue> paper_value(const TableInputs& in, const Block& block, const std::string& table,
                                      const std::string& mode, const std::string& init, const std::string& quantity) {
  if (std::get<2>(block) > 0) return std::nullopt;
  return in.paper->find(table, std::get<0>(block), std::get<1>(block), mode, init, quantity);
}


std::string fraction_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

// The groups of one block, found by (kind, init, mode, R, N).
class BlockGroups {
 public:
  BlockGroups(const std::vector<RunGroup>& groups, const Block& block) {
    for (const auto& g : groups)
      if (block_of(g.key) == block) {
        by_key_[{g.key.kind, g.key.init_kind, g.key.mode, g.key.replicas, g.key.zero_fraction}] = &g;
        if (g.key.init_kind == "adversarial") replications_.insert({g.key.replicas, g.key.zero_fraction});
      }
  }
  const RunGroup* train(const std::string& init, const std::string& mode, Replication rn = {0, 0.0}) const {
    return find({"train", init, mode, rn.first, rn.second});
  }
  const RunGroup* adversarial_init(Replication rn) const {
    return find({"adversarial-init", "adversarial", "-", rn.first, rn.second});
  }
  const std::set<Replication>& replications() const { return replications_; }

 private:
  using Key = std::tuple<std::string, std::string, std::string, int64_t, double>;
  const RunGroup* find(const Key& k) const {
    auto it = by_key_.find(k);
    return it == by_key_.end() ? nullptr : it->second;
  }
  std::map<Key, const RunGroup*> by_key_;
  std::set<Replication> replications_;
};

std::set<Block> blocks_of(const std::vector<RunGroup>& groups) {
  std::set<Block> out;
  for (const auto& g : groups) out.insert(block_of(g.key));
  return out;
}

// Per-seed values of one quantity; seeds already present are kept (the first source wins).
void collect(const RunGroup* g, const RunValue& value, std::map<int64_t, double>& by_seed) {
  if (!g) return;
  for (const RunRecord* r : g->runs)
    if (auto v = value(*r)) by_seed.emplace(r->seed, *v);
}

TableCell cell_from(const std::map<int64_t, double>& by_seed, const TableInputs& in) {
  std::vector<double> values;
  for (const auto& kv : by_seed) values.push_back(kv.second);
  TableCell cell;
  cell.ours = reduce_over_seeds(values);
  cell.short_of_seeds = cell.ours.n > 0 && cell.ours.n < in.expected_seeds;
  return cell;
}

TableCell cell_of(const RunGroup* g, const RunValue& value, const TableInputs& in) {
  std::map<int64_t, double> by_seed;
  collect(g, value, by_seed);
  return cell_from(by_seed, in);
}

RunValue distance(const std::string& pair, const std::string& kind) {
  return [pair, kind](const RunRecord& r) -> std::optional<double> {
    auto p = r.distance.find(pair);
    if (p == r.distance.end()) return std::nullopt;
    auto v = p->second.find(kind);
    if (v == p->second.end()) return std::nullopt;
    return v->second;
  };
}

const RunValue kTrainAcc = [](const RunRecord& r) { return r.train_acc; };
const RunValue kTestAcc = [](const RunRecord& r) { return r.test_acc; };

}  // namespace

ResultTable build_table1(const TableInputs& in) {
  ResultTable t;
  t.title = "Table 1: relative distance d(W1,W2) = ||W1-W2||_F / ||W2||_F (" + in.distance_kind +
            "), mean ± std over seeds";
  t.key_columns = {"dataset", "model", "n_train", "behaviour", "R", "N"};
  t.value_columns = {"r0_rv", "r0_rs", "r0_a0", "r0_av", "r0_as", "a0_av", "a0_as"};
  t.value_headers = {"d(W0R,WVR)", "d(W0R,WSR)", "d(W0R,W0A)", "d(W0R,WVA)", "d(W0R,WSA)", "d(W0A,WVA)", "d(W0A,WSA)"};
  t.latex_headers = {"$d(W_0^R,W_V^R)$", "$d(W_0^R,W_S^R)$", "$d(W_0^R,W_0^A)$", "$d(W_0^R,W_V^A)$",
                     "$d(W_0^R,W_S^A)$", "$d(W_0^A,W_V^A)$", "$d(W_0^A,W_S^A)$"};
  t.notes = {"Superscript R/A: random/adversarial init; subscript V/S: vanilla/SOTA SGD; W0A is Algorithm 1's model. "
             "Brackets: the paper's value (mean of 5 runs; whole training sets only) and ours minus it. † fewer seeds than "
             "expected."};
  const std::string& dk = in.distance_kind;
  for (const Block& block : blocks_of(*in.groups)) {
    const BlockGroups g(*in.groups, block);
    const auto& [dataset, model, subset, pick, behaviour] = block;
    std::set<Replication> replications = g.replications();
    if (replications.empty()) {
      if (!g.train("random", "vanilla") && !g.train("random", "sota")) continue;
      replications.insert({0, 0.0});  // random-init columns only
    }
    for (const Replication& rn : replications) {
      const bool adversarial = rn.first > 0;
      TableRow row;
      row.keys = {dataset, model, train_subset_text(subset, pick), behaviour, adversarial ? std::to_string(rn.first) : "—",
                  adversarial ? fraction_text(rn.second) : "—"};
      row.cells.push_back(cell_of(g.train("random", "vanilla"), distance("init_final", dk), in));
      row.cells.push_back(cell_of(g.train("random", "sota"), distance("init_final", dk), in));
      // d(W0R, W0A) is recorded by Algorithm 1's own result and by every run started from it (same value per seed).
      std::map<int64_t, double> w0r_w0a;
      if (adversarial) {
        collect(g.adversarial_init(rn), distance("w0r_w0a", dk), w0r_w0a);
        for (const ModePreset& m : mode_presets()) collect(g.train("adversarial", m.name, rn), distance("w0r_w0a", dk), w0r_w0a);
      }
      row.cells.push_back(cell_from(w0r_w0a, in));
      const RunGroup* adv_vanilla = adversarial ? g.train("adversarial", "vanilla", rn) : nullptr;
      const RunGroup* adv_sota = adversarial ? g.train("adversarial", "sota", rn) : nullptr;
      row.cells.push_back(cell_of(adv_vanilla, distance("w0r_final", dk), in));
      row.cells.push_back(cell_of(adv_sota, distance("w0r_final", dk), in));
      row.cells.push_back(cell_of(adv_vanilla, distance("init_final", dk), in));
      row.cells.push_back(cell_of(adv_sota, distance("init_final", dk), in));
      for (size_t c = 0; c < row.cells.size(); ++c)
        row.cells[c].paper = paper_value(in, block, "table1", "", "", t.value_columns[c]);
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

ResultTable build_table2(const TableInputs& in) {
  ResultTable t;
  t.title = "Table 2: final train and test accuracy (%) per training mode, mean ± std over seeds";
  t.key_columns = {"dataset", "model", "n_train", "behaviour", "mode", "init", "R", "N"};
  t.value_columns = {"train_acc", "test_acc"};
  t.value_headers = {"train acc", "test acc"};
  t.latex_headers = {"Train Acc", "Test Acc"};
  t.notes = {"Brackets: the paper's mean ± std (ResNet-18 on the whole of CIFAR-10 only) and ours minus its mean. "
             "† fewer seeds than expected."};
  for (const Block& block : blocks_of(*in.groups)) {
    const BlockGroups g(*in.groups, block);
    const auto& [dataset, model, subset, pick, behaviour] = block;
    for (const ModePreset& m : mode_presets()) {
      auto add_row = [&](const std::string& init, const RunGroup* group, const std::string& r, const std::string& n) {
        auto paper_train = paper_value(in, block, "table2", m.name, init, "train_acc");
        auto paper_test = paper_value(in, block, "table2", m.name, init, "test_acc");
        if (!group && !paper_train && !paper_test) return;
        TableRow row;
        row.keys = {dataset, model, train_subset_text(subset, pick), behaviour, m.name, init, r, n};
        row.cells = {cell_of(group, kTrainAcc, in), cell_of(group, kTestAcc, in)};
        row.cells[0].paper = paper_train;
        row.cells[1].paper = paper_test;
        t.rows.push_back(std::move(row));
      };
      add_row("random", g.train("random", m.name), "—", "—");
      if (g.replications().empty()) add_row("adversarial", nullptr, "—", "—");
      for (const Replication& rn : g.replications())
        add_row("adversarial", g.train("adversarial", m.name, rn), std::to_string(rn.first), fraction_text(rn.second));
    }
  }
  return t;
}

ResultTable build_headline(const TableInputs& in) {
  ResultTable t;
  t.title = "Headline: test accuracy (%) from random vs adversarial init, and the drop (random - adversarial)";
  t.key_columns = {"dataset", "model", "n_train", "behaviour", "R", "N"};
  t.value_columns = {"vanilla_random", "vanilla_adversarial", "vanilla_drop", "sota_random", "sota_adversarial", "sota_drop"};
  t.value_headers = {"vanilla, random init", "vanilla, adversarial init", "vanilla drop", "SOTA, random init",
                     "SOTA, adversarial init", "SOTA drop"};
  t.latex_headers = {"Vanilla $W_0^R$", "Vanilla $W_0^A$", "Vanilla drop", "SOTA $W_0^R$", "SOTA $W_0^A$", "SOTA drop"};
  t.notes = {"The paper's claim: the vanilla drop is large (up to ~40 points), the SOTA drop near zero. A drop is "
             "averaged over seeds that have both runs (same seed = same W0R). Brackets: the paper's Table 2 (ResNet-18 "
             "on the whole of CIFAR-10). † fewer seeds than expected."};
  for (const Block& block : blocks_of(*in.groups)) {
    const BlockGroups g(*in.groups, block);
    const auto& [dataset, model, subset, pick, behaviour] = block;
    for (const Replication& rn : g.replications()) {
      TableRow row;
      row.keys = {dataset, model, train_subset_text(subset, pick), behaviour, std::to_string(rn.first), fraction_text(rn.second)};
      for (const char* mode : {"vanilla", "sota"}) {
        const RunGroup* random = g.train("random", mode);
        const RunGroup* adversarial = g.train("adversarial", mode, rn);
        std::map<int64_t, double> random_acc, adversarial_acc, drop;
        collect(random, kTestAcc, random_acc);
        collect(adversarial, kTestAcc, adversarial_acc);
        for (const auto& [seed, acc] : random_acc)
          if (auto a = adversarial_acc.find(seed); a != adversarial_acc.end()) drop[seed] = acc - a->second;
        TableCell cells[3] = {cell_from(random_acc, in), cell_from(adversarial_acc, in), cell_from(drop, in)};
        auto paper_random = paper_value(in, block, "table2", mode, "random", "test_acc");
        auto paper_adversarial = paper_value(in, block, "table2", mode, "adversarial", "test_acc");
        cells[0].paper = paper_random;
        cells[1].paper = paper_adversarial;
        if (paper_random && paper_adversarial)
          cells[2].paper = PaperValue{paper_random->value - paper_adversarial->value, NAN, "Table 2"};
        row.cells.insert(row.cells.end(), cells, cells + 3);
      }
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

}  // namespace bgm
