// Manifest expansion: the shipped grids have the sizes the paper needs, ids are stable and equal the
// job hash, adversarial-init jobs are shared, and errors name the file, the axis and the key.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/job_spec.h"
#include "core/manifest.h"

namespace fs = std::filesystem;
using namespace bgm;

namespace {

std::string jobs_file(const std::string& name) { return std::string(BGM_SOURCE_DIR) + "/jobs/" + name; }

// A scratch folder per test, removed afterwards.
struct ScratchDir {
  fs::path path;
  ScratchDir() {
    path = fs::temp_directory_path() / ("bgm-manifest-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

// Runs `f`, expects a bgm::Error, returns its message.
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no bgm::Error thrown";
  return "";
}

const char* kToyBase = R"("base": {"dataset": "toy-gaussians", "model": "toy-mlp", "device": "cpu"})";

}  // namespace

TEST(ShippedManifests, PaperGridHas320TrainingJobsAnd80SharedInits) {
  const Manifest m = load_manifest(jobs_file("paper-grid.json"));
  EXPECT_EQ(m.name, "paper-grid");
  EXPECT_EQ(m.train_jobs.size(), 320u);  // 4 datasets x 4 models x 2 inits x 2 modes x 5 seeds
  EXPECT_EQ(m.init_jobs.size(), 80u);    // one per (dataset, model, seed): vanilla and sota share it
  std::set<std::string> ids, dirs;
  for (const auto& j : m.train_jobs) {
    ids.insert(j.id);
    dirs.insert(j.dir);
  }
  EXPECT_EQ(ids.size(), 320u);
  EXPECT_EQ(dirs.size(), 320u);
  double hours = 0;
  for (const auto& j : m.init_jobs) hours += estimate_gpu_hours(j);
  for (const auto& j : m.train_jobs) hours += estimate_gpu_hours(j);
  EXPECT_GT(hours, 100.0);  // the paper's grid is GPU-months of work, not minutes
}

TEST(ShippedManifests, EveryManifestExpandsToTheStatedSizes) {
  struct Expect {
    const char* file;
    size_t train, init;
  };
  for (const Expect& e : {Expect{"table2.json", 80, 5}, Expect{"fig4-rsweep.json", 240, 100},
                          Expect{"fig1-toy.json", 9, 3}, Expect{"demo.json", 7, 2}, Expect{"smoke.json", 5, 1}}) {
    const Manifest m = load_manifest(jobs_file(e.file));
    EXPECT_EQ(m.train_jobs.size(), e.train) << e.file;
    EXPECT_EQ(m.init_jobs.size(), e.init) << e.file;
    for (size_t i = 0; i < m.train_jobs.size(); ++i) EXPECT_EQ(m.train_jobs[i].index, int64_t(i)) << e.file;
  }
}

TEST(ShippedManifests, SharedJobsHaveTheSameIdsAcrossManifests) {
  // table2's vanilla/sota ResNet18 jobs are paper-grid jobs: running both into one folder computes them once.
  const Manifest grid = load_manifest(jobs_file("paper-grid.json"));
  const Manifest table2 = load_manifest(jobs_file("table2.json"));
  std::set<std::string> grid_ids;
  for (const auto& j : grid.train_jobs) grid_ids.insert(j.id);
  size_t shared = 0;
  for (const auto& j : table2.train_jobs) shared += grid_ids.count(j.id);
  EXPECT_EQ(shared, 20u);  // {vanilla, sota} x {random, adversarial} x 5 seeds
}

TEST(ShippedManifests, Fig1ToyFollowsSmallScaleSettings) {
  const Manifest m = load_manifest(jobs_file("fig1-toy.json"));
  for (const auto& j : m.train_jobs) {
    EXPECT_EQ(j.job.train.lr, 0.03);
    EXPECT_EQ(j.job.train.batch_size, 10);
    EXPECT_EQ(j.job.train.stop_accuracy, 100.0);
  }
  ASSERT_EQ(m.init_jobs.size(), 3u);
  for (const auto& j : m.init_jobs) {
    EXPECT_EQ(j.job.init.adversarial.sgd.lr, 0.03);
    EXPECT_EQ(j.job.init.adversarial.sgd.epochs, 100000);  // about the paper's million batch-10 steps
  }
}

TEST(Expansion, FirstAxisVariesSlowestAndIdsAreJobHashes) {
  ScratchDir dir;
  const std::string path = dir.write("grid.json", std::string("{") + kToyBase + R"(,
    "axes": [{"key": "seed", "values": [3, 4]}, {"key": "train.lr", "values": [0.1, 0.01, 0.001]}]})");
  const Manifest m = load_manifest(path);
  EXPECT_EQ(m.name, "grid");  // from the file name when "name" is absent
  ASSERT_EQ(m.train_jobs.size(), 6u);
  EXPECT_EQ(m.train_jobs[0].tag, "seed=3 train.lr=0.1");
  EXPECT_EQ(m.train_jobs[1].tag, "seed=3 train.lr=0.01");
  EXPECT_EQ(m.train_jobs[5].tag, "seed=4 train.lr=0.001");
  EXPECT_EQ(m.train_jobs[4].job.seed, 4);
  EXPECT_DOUBLE_EQ(m.train_jobs[4].job.train.lr, 0.01);
  EXPECT_EQ(m.train_jobs[4].source, path + "#4");
  EXPECT_TRUE(m.init_jobs.empty());

  // The id is the hash of the job as written by hand, and it does not depend on the output folder.
  const JobSpec by_hand = parse_job(boost::json::parse(R"({"dataset": "toy-gaussians", "model": "toy-mlp",
                                                           "seed": 4, "train": {"lr": 0.01}})"),
                                    "by-hand");
  EXPECT_EQ(m.train_jobs[4].id, job_hash(by_hand));
  const Manifest moved = load_manifest(path, (dir.path / "elsewhere").string());
  EXPECT_EQ(moved.train_jobs[4].id, m.train_jobs[4].id);
  EXPECT_EQ(moved.train_jobs[4].dir, (dir.path / "elsewhere").string() + "/runs/" + job_dir_name(by_hand));
  EXPECT_EQ(m.train_jobs[4].dir, "results/runs/" + job_dir_name(by_hand));
}

TEST(Expansion, AdversarialInitJobsAreSharedAndComeFirst) {
  ScratchDir dir;
  const std::string path = dir.write("adv.json", std::string("{") + kToyBase + R"(,
    "axes": [{"key": "seed", "values": [0, 1]},
             {"name": "init", "values": [{"label": "random", "set": {"init": "random"}},
                                         {"label": "adv", "set": {"init": {"kind": "adversarial", "epochs": 50}}},
                                         {"label": "adv-R3", "set": {"init": {"kind": "adversarial", "R": 3}}}]},
             {"key": "mode", "values": ["vanilla", "sota"]}]})");
  const Manifest m = load_manifest(path);
  ASSERT_EQ(m.train_jobs.size(), 12u);
  ASSERT_EQ(m.init_jobs.size(), 4u);  // (seed 0, 1) x (adv, adv-R3); vanilla and sota share
  std::set<std::string> keys;
  for (const auto& j : m.train_jobs)
    if (j.job.init.is_adversarial()) keys.insert(adversarial_key(j.job));
  EXPECT_EQ(keys.size(), 4u);
  const ManifestJob& first = m.init_jobs[0];
  EXPECT_EQ(first.stage, "init");
  EXPECT_EQ(first.index, 0);
  EXPECT_EQ(first.tag, "seed=0 init=adv mode=vanilla");  // represented by the first job that needs it
  EXPECT_EQ(first.id, adversarial_key(first.job));
  EXPECT_EQ(first.dir, adversarial_dir(first.job));
  EXPECT_EQ(m.init_jobs[1].job.init.adversarial.replicas, 3);
  EXPECT_EQ(m.init_jobs[3].index, 3);
  // An init job costs R times its dataset per epoch.
  EXPECT_GT(estimate_gpu_hours(m.init_jobs[0]), 0.0);
}

TEST(Expansion, PartsShareTheTopBaseAndAxes) {
  ScratchDir dir;
  const std::string path = dir.write("parts.json", R"({"name": "mixed", "base": {"device": "cpu", "seed": 7},
    "axes": [{"key": "mode", "values": ["vanilla", "sota"]}],
    "parts": [{"name": "toy", "base": {"dataset": "toy-gaussians", "model": "toy-mlp"}},
              {"name": "fm", "base": {"dataset": {"name": "fashion-mnist", "train_subset": 100},
                                      "model": {"name": "mlp", "width": 16}},
               "axes": [{"key": "dataset.train_subset", "values": [100, 200]}]}]})");
  const Manifest m = load_manifest(path);
  ASSERT_EQ(m.train_jobs.size(), 6u);
  EXPECT_EQ(m.train_jobs[0].tag, "part=toy mode=vanilla");
  EXPECT_EQ(m.train_jobs[5].tag, "part=fm mode=sota dataset.train_subset=200");
  EXPECT_EQ(m.train_jobs[5].job.dataset.train_subset, 200);
  EXPECT_EQ(m.train_jobs[5].job.seed, 7);
  EXPECT_EQ(m.train_jobs[5].job.model.width, 16);
  EXPECT_EQ(m.train_jobs[5].job.label, "mixed: part=fm mode=sota dataset.train_subset=200");
}

TEST(MergeJson, ObjectsMergeShorthandsExpandOthersReplace) {
  namespace json = boost::json;
  const json::value base = json::parse(R"({"dataset": "cifar10", "init": {"kind": "adversarial", "R": 5},
                                           "train": {"lr": 0.1, "epochs": 3}})");
  const json::value merged =
      merge_json(base, json::parse(R"({"dataset": {"train_subset": 10}, "init": "random", "train": {"lr": 0.5}})"));
  EXPECT_EQ(merged, json::parse(R"({"dataset": {"name": "cifar10", "train_subset": 10}, "init": "random",
                                    "train": {"lr": 0.5, "epochs": 3}})"));
  const json::value init = merge_json(json::parse(R"({"init": "adversarial"})"), json::parse(R"({"init": {"R": 2}})"));
  EXPECT_EQ(init, json::parse(R"({"init": {"kind": "adversarial", "R": 2}})"));
}

TEST(Errors, NameTheFileTheAxisAndTheKey) {
  ScratchDir dir;
  const std::string no_values =
      dir.write("a.json", std::string("{") + kToyBase + R"(, "axes": [{"key": "seed", "values": [1]}, {"name": "init"}]})");
  std::string msg = error_of([&] { load_manifest(no_values); });
  EXPECT_NE(msg.find(no_values), std::string::npos) << msg;
  EXPECT_NE(msg.find("axes[1] (init)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("values"), std::string::npos) << msg;

  const std::string bad_value = dir.write(
      "b.json", std::string("{") + kToyBase + R"(, "axes": [{"key": "train.lr", "values": [0.1, "fast"]}]})");
  msg = error_of([&] { load_manifest(bad_value); });
  EXPECT_NE(msg.find(bad_value + "#1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("train.lr"), std::string::npos) << msg;
  EXPECT_NE(msg.find("train.lr=fast"), std::string::npos) << msg;

  const std::string no_set = dir.write(
      "c.json", std::string("{") + kToyBase + R"(, "axes": [{"name": "init", "values": [{"label": "x"}]}]})");
  msg = error_of([&] { load_manifest(no_set); });
  EXPECT_NE(msg.find("axes[0].values[0].set"), std::string::npos) << msg;

  const std::string twice = dir.write(
      "d.json", std::string("{") + kToyBase + R"(, "axes": [{"key": "seed", "values": [1, 1]}]})");
  msg = error_of([&] { load_manifest(twice); });
  EXPECT_NE(msg.find("axes[0] (seed): values[1]: label '1' appears twice"), std::string::npos) << msg;

  // Two labels that change nothing the job hash sees would run one job twice.
  const std::string same_job = dir.write(
      "e.json", std::string("{") + kToyBase + R"(, "axes": [{"key": "label", "values": ["x", "y"]}]})");
  msg = error_of([&] { load_manifest(same_job); });
  EXPECT_NE(msg.find(same_job + "#1 (label=y): the same job as " + same_job + "#0"), std::string::npos) << msg;

  const std::string unknown = dir.write("f.json", std::string("{") + kToyBase + R"(, "axis": []})");
  msg = error_of([&] { load_manifest(unknown); });
  EXPECT_NE(msg.find("axis"), std::string::npos) << msg;
  EXPECT_NE(msg.find(unknown), std::string::npos) << msg;

  const std::string two_seeds = dir.write(
      "g.json", std::string("{") + kToyBase + R"(, "axes": [{"key": "seed", "values": [1]}, {"key": "seed", "values": [2]}]})");
  msg = error_of([&] { load_manifest(two_seeds); });
  EXPECT_NE(msg.find("two axes named 'seed'"), std::string::npos) << msg;

  const std::string twice_in_axis = dir.write(
      "i.json", std::string("{") + kToyBase + R"(, "axes": [{"key": "seed", "values": [1]}, {"key": "mode", "key": "seed", "values": [2]}]})");
  msg = error_of([&] { load_manifest(twice_in_axis); });
  EXPECT_NE(msg.find("axes[1].key: the key appears twice"), std::string::npos) << msg;

  const std::string misspelt = dir.write("h.json", std::string("{") + kToyBase + R"(, "axes": [{"kee": "seed", "values": [1]}]})");
  msg = error_of([&] { load_manifest(misspelt); });
  EXPECT_NE(msg.find("axes[0].kee: unknown key"), std::string::npos) << msg;

  msg = error_of([&] { load_manifest((dir.path / "missing.json").string()); });
  EXPECT_NE(msg.find("missing.json"), std::string::npos) << msg;

  const Manifest m = load_manifest(jobs_file("smoke.json"));
  msg = error_of([&] { m.stage("both"); });
  EXPECT_NE(msg.find("--stage"), std::string::npos) << msg;
}

TEST(Completion, OnlyACompleteResultCounts) {
  ScratchDir dir;
  const std::string path = dir.write("c.json", std::string("{") + kToyBase + R"(, "axes": [{"key": "seed", "values": [1]}]})");
  const Manifest m = load_manifest(path, (dir.path / "out").string());
  const ManifestJob& job = m.train_jobs.at(0);
  EXPECT_FALSE(job_complete(job));
  fs::create_directories(job.dir);
  std::ofstream(job.dir + "/result.json") << R"({"status": "running"})";
  EXPECT_FALSE(job_complete(job));
  std::ofstream(job.dir + "/result.json") << R"({"status": "compl)";  // torn file
  EXPECT_FALSE(job_complete(job));
  std::ofstream(job.dir + "/result.json") << R"({"status": "complete", "job_id": "0123456789abcdef"})";
  EXPECT_FALSE(job_complete(job));  // another job's result
  std::ofstream(job.dir + "/result.json") << R"({"status": "complete", "job_id": ")" + job.id + R"("})";
  EXPECT_TRUE(job_complete(job));
}

namespace {

ManifestJob resnet18_job(const ScratchDir& dir, const std::string& precision) {
  const std::string path = dir.write("r18-" + precision + ".json", R"({"name": "r18", "base": {"dataset": "cifar10",
    "model": "resnet18", "init": "random", "mode": "vanilla", "precision": ")" + precision + R"("}})");
  return load_manifest(path).train_jobs.at(0);
}

}  // namespace

TEST(CostModel, CalibrationReplacesTheAssumedSpeedOfMeasuredModels) {
  ScratchDir dir;
  const std::string file = dir.write("cal.json", R"({"schema": "bgm-calibration/1", "gpu": "Test GPU",
    "entries": [{"model": "resnet18", "precision": "bf16", "jobs_per_gpu": 1, "images_per_s": 8000},
                {"model": "resnet18", "precision": "bf16", "jobs_per_gpu": 4, "images_per_s": 32000},
                {"model": "resnet18", "precision": "fp32", "jobs_per_gpu": 2, "images_per_s": 4000}]})");
  const Calibration c = load_calibration(file);
  ASSERT_NE(c.best("resnet18", "bf16"), nullptr);
  EXPECT_EQ(c.best("resnet18", "bf16")->jobs_per_gpu, 4);  // the best K
  EXPECT_EQ(c.best("vgg16", "bf16"), nullptr);
  const ManifestJob bf16 = resnet18_job(dir, "bf16"), fp32 = resnet18_job(dir, "fp32");
  bool calibrated = false;
  const double assumed = estimate_gpu_hours(bf16);
  const double measured = estimate_gpu_hours(bf16, &c, &calibrated);
  EXPECT_TRUE(calibrated);
  // 8x the assumed 4000 images/s (and no separate per-step overhead): about 8x fewer hours.
  EXPECT_NEAR(assumed / measured, 8.0, 0.5);
  estimate_gpu_hours(fp32, &c, &calibrated);
  EXPECT_TRUE(calibrated);
  ManifestJob vgg = fp32;
  vgg.job.model.name = "vgg16";
  EXPECT_DOUBLE_EQ(estimate_gpu_hours(vgg, &c, &calibrated), estimate_gpu_hours(vgg));
  EXPECT_FALSE(calibrated);
}

TEST(CostModel, CalibrationErrorsNameTheKey) {
  ScratchDir dir;
  EXPECT_NE(error_of([&] { load_calibration(dir.write("a.json", R"({"schema": "x", "gpu": "g", "entries": []})")); })
                .find("schema"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              load_calibration(dir.write("b.json", R"({"schema": "bgm-calibration/1", "gpu": "g",
                "entries": [{"model": "resnet18", "precision": "fp32", "images_per_s": -1}]})"));
            }).find("entries[0].images_per_s"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              load_calibration(dir.write("c.json", R"({"schema": "bgm-calibration/1", "gpu": "g",
                "entries": [{"model": "resnet19", "precision": "fp32", "images_per_s": 5}]})"));
            }).find("entries[0].model"),
            std::string::npos);
}
