// Every figure CSV starts with panel,series so one gnuplot script per figure can draw any set of groups.
#include "aggregate/figure_data.h"

#include <filesystem>
#include <map>
#include <set>

#include "aggregate/seed_stats.h"
#include "core/atomic_file.h"

namespace bgm {

namespace fs = std::filesystem;

namespace {

std::string stats_columns(const SeedStats& s) {
  return std::to_string(s.n) + "," + short_number(s.mean) + "," + short_number(s.std) + "," + short_number(s.min) + "," + short_number(s.max);
}

std::string curves_csv(const std::vector<RunGroup>& groups) {
  std::string out = "panel,series,dataset,model,n_train,behaviour,kind,init,mode,R,N,epoch,n,"
                    "train_acc_mean,train_acc_min,train_acc_max,test_acc_mean,test_acc_min,test_acc_max,"
                    "train_loss_mean,test_loss_mean\n";
  for (const auto& g : groups) {
    // Runs may stop early at different epochs: each epoch row reduces over the seeds that reached it.
    std::map<int64_t, std::vector<const CurvePoint*>> by_epoch;
    for (const RunRecord* r : g.runs)
      for (const auto& p : r->curve) by_epoch[p.epoch].push_back(&p);
    const GroupKey& k = g.key;
    for (const auto& [epoch, points] : by_epoch) {
      std::vector<double> train_acc, test_acc, train_loss, test_loss;
      for (const CurvePoint* p : points) {
        if (p->train_acc) train_acc.push_back(*p->train_acc);
        if (p->test_acc) test_acc.push_back(*p->test_acc);
        if (p->train_loss) train_loss.push_back(*p->train_loss);
        if (p->test_loss) test_loss.push_back(*p->test_loss);
      }
      const SeedStats tr = reduce_over_seeds(train_acc), te = reduce_over_seeds(test_acc);
      out += k.panel() + "," + k.series() + "," + k.dataset + "," + k.model + "," + std::to_string(k.train_subset) +
             "," + k.behaviour + "," + k.kind + "," + k.init_kind + "," + k.mode + "," + std::to_string(k.replicas) +
             "," + short_number(k.zero_fraction) + "," + std::to_string(epoch) + "," + std::to_string(points.size()) + "," +
             short_number(tr.mean) + "," + short_number(tr.min) + "," + short_number(tr.max) + "," + short_number(te.mean) + "," + short_number(te.min) + "," +
             short_number(te.max) + "," + short_number(reduce_over_seeds(train_loss).mean) + "," +
             short_number(reduce_over_seeds(test_loss).mean) + "\n";
    }
  }
  return out;
}

std::vector<double> final_test_acc(const RunGroup& g) {
  std::vector<double> out;
  for (const RunRecord* r : g.runs)
    if (r->test_acc) out.push_back(*r->test_acc);
  return out;
}

// Fig. 4: x = R, y = final test accuracy; random init is drawn at R = 0 as the reference.
std::string replicas_csv(const std::vector<RunGroup>& groups) {
  std::string out = "panel,series,mode,R,N,n,test_acc_mean,test_acc_std,test_acc_min,test_acc_max\n";
  std::map<std::pair<std::string, std::string>, std::set<double>> fractions;  // (panel, mode) -> N values
  for (const auto& g : groups)
    if (g.key.kind == "train" && g.key.init_kind == "adversarial")
      fractions[{g.key.panel(), g.key.mode}].insert(g.key.zero_fraction);
  for (const auto& g : groups) {
    if (g.key.kind != "train") continue;
    const auto& n_values = fractions[{g.key.panel(), g.key.mode}];
    if (n_values.empty()) continue;
    const std::string stats = stats_columns(reduce_over_seeds(final_test_acc(g)));
    if (g.key.init_kind == "adversarial") {
      out += g.key.panel() + "," + g.key.mode + " N=" + short_number(g.key.zero_fraction) + "," + g.key.mode + "," +
             std::to_string(g.key.replicas) + "," + short_number(g.key.zero_fraction) + "," + stats + "\n";
    } else {
      for (double n : n_values)
        out += g.key.panel() + "," + g.key.mode + " N=" + short_number(n) + "," + g.key.mode + ",0," + short_number(n) + "," + stats + "\n";
    }
  }
  return out;
}

std::string norms_csv(const std::vector<RunGroup>& groups) {
  std::string out = "panel,series,stage,norm,n,mean,std,min,max\n";
  for (const auto& g : groups)
    for (const char* stage : {"init", "final"}) {
      std::map<std::string, std::vector<double>> by_norm;
      for (const RunRecord* r : g.runs)
        if (auto it = r->norms.find(stage); it != r->norms.end())
          for (const auto& [name, value] : it->second) by_norm[name].push_back(value);
      for (const auto& [name, values] : by_norm)
        out += g.key.panel() + "," + g.key.series() + "," + stage + "," + name + "," +
               stats_columns(reduce_over_seeds(values)) + "\n";
    }
  return out;
}

std::string fgsm_csv(const std::vector<RunGroup>& groups) {
  std::string out = "panel,series,eps,n,acc_mean,acc_std,acc_min,acc_max\n";
  for (const auto& g : groups) {
    std::map<double, std::vector<double>> by_eps;
    for (const RunRecord* r : g.runs)
      for (size_t i = 0; i < r->fgsm_eps.size(); ++i) by_eps[r->fgsm_eps[i]].push_back(r->fgsm_accuracy[i]);
    for (const auto& [eps, values] : by_eps)
      out += g.key.panel() + "," + g.key.series() + "," + short_number(eps) + "," + stats_columns(reduce_over_seeds(values)) + "\n";
  }
  return out;
}

struct ToyPanel {
  const char* letter;
  const char* title;
  const char* kind;
  const char* init;
  const char* mode;
};

// Fig. 1's four settings (paper Sec. 2): (a) random init, (b) the random-label fit itself, (c) vanilla and
// (d) SOTA SGD from it. The lowest seed with a grid file is drawn.
std::string toy_csv(const std::vector<RunGroup>& groups, const std::string& results_dir, const std::string& out_dir,
                    std::vector<ResultIssue>& problems) {
  static const ToyPanel panels[] = {
      {"a", "(a) random init: true labels", "train", "random", "vanilla"},
      {"b", "(b) random labels (adversarial init)", "adversarial-init", "adversarial", "-"},
      {"c", "(c) adversarial init: vanilla SGD", "train", "adversarial", "vanilla"},
      {"d", "(d) adversarial init: SOTA SGD", "train", "adversarial", "sota"},
  };
  std::string out = "panel,title,group,seed,result,grid_csv,points_csv\n";
  for (const ToyPanel& p : panels) {
    const RunRecord* chosen = nullptr;
    const RunGroup* chosen_group = nullptr;
    for (const auto& g : groups) {
      if (g.key.dataset != "toy-gaussians" || g.key.kind != p.kind || g.key.init_kind != p.init || g.key.mode != p.mode)
        continue;
      for (const RunRecord* r : g.runs)
        if (!r->toy_grid_file.empty() && (!chosen || r->seed < chosen->seed)) chosen = r, chosen_group = &g;
      if (chosen) break;  // groups are sorted: the first toy group (lowest R, subset) with a grid wins
    }
    if (!chosen) continue;
    std::string copied[2];
    const std::string sources[2] = {chosen->toy_grid_file, chosen->toy_points_file};
    const char* suffix[2] = {"_grid.csv", "_points.csv"};
    for (int i = 0; i < 2; ++i) {
      if (sources[i].empty()) continue;
      const fs::path from = fs::path(results_dir) / sources[i];
      if (!fs::is_regular_file(from)) {
        problems.push_back({chosen->path, "missing-file", "toy file " + sources[i] + " named in metrics.toy does not exist"});
        continue;
      }
      copied[i] = std::string("fig1_") + p.letter + suffix[i];
      fs::copy_file(from, fs::path(out_dir) / copied[i], fs::copy_options::overwrite_existing);
    }
    if (copied[0].empty()) continue;
    out += std::string(p.letter) + "," + p.title + "," + chosen_group->key.label() + "," + std::to_string(chosen->seed) +
           "," + chosen->path + "," + copied[0] + "," + copied[1] + "\n";
  }
  return out;
}

}  // namespace

std::vector<ResultIssue> write_figure_data(const std::vector<RunGroup>& groups, const std::string& results_dir,
                                           const std::string& out_dir) {
  std::vector<ResultIssue> problems;
  write_file_atomic(out_dir + "/fig1_toy.csv", toy_csv(groups, results_dir, out_dir, problems));
  write_file_atomic(out_dir + "/fig23_curves.csv", curves_csv(groups));
  write_file_atomic(out_dir + "/fig4_replicas.csv", replicas_csv(groups));
  write_file_atomic(out_dir + "/fig5_norms.csv", norms_csv(groups));
  write_file_atomic(out_dir + "/fig6_fgsm.csv", fgsm_csv(groups));
  return problems;
}

}  // namespace bgm
