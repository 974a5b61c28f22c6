// `bgm bench` times the step `bgm run` trains with: one epoch of run_sgd_stage and the same number of bench
// steps from the same initial weights leave bit-identical weights (LibTorch step with momentum and weight decay on
// an augmented image set, and the lean MLP step on Algorithm 1's toy set).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <optional>

#include <boost/json.hpp>

#include <torch/torch.h>

#include "core/dataset_facts.h"
#include "core/job_presets.h"
#include "data/batch_source.h"
#include "data/device_dataset.h"
#include "dist/communicator.h"
#include "models/classifier.h"
#include "train/bench_loop.h"
#include "train/sgd_stage.h"

namespace bgm {
namespace {

Classifier fresh_model(const std::string& name, const InputShape& shape, int64_t classes) {
  torch::manual_seed(3);
  ModelSpec spec;
  spec.name = name;
  spec.width = 32;
  spec.init = ModelInit::kPytorch03;
  return make_model(spec, shape, classes);
}

// One epoch through run_sgd_stage (no evaluation hook) and through BenchSteps; the weights of both.
std::pair<std::vector<torch::Tensor>, std::vector<torch::Tensor>> stage_and_bench(const std::string& model_name,
                                                                                  const DeviceDataset& data,
                                                                                  const BatchSource& source,
                                                                                  const SgdSpec& sgd, bool lean) {
  auto comm = make_communicator("none", 0);
  const std::string dir = std::filesystem::temp_directory_path() / ("bgm-train-step-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  Classifier staged = fresh_model(model_name, data.shape, data.classes);
  StageSpec spec;
  spec.stage = "train";
  spec.sgd = sgd;
  spec.sgd.epochs = 1;
  spec.seed = 0;  // the bench's data order
  spec.checkpoint_path = dir + "/checkpoint.pt";
  spec.job_hash = "test";
  spec.quiet = true;
  StageSettings settings;
  settings.lean_step = lean;
  const StageOutcome outcome = run_sgd_stage(*staged, source, spec, settings, *comm,
                                             [](int64_t, bool) { return std::optional<EpochReport>(); });
  EXPECT_EQ(outcome.step_kernel, lean ? "lean-mlp-cpu" : "libtorch");

  Classifier benched = fresh_model(model_name, data.shape, data.classes);
  benched->train();
  BenchSteps steps(*benched, source, sgd, *comm, sgd.batch_size, false, false, lean);
  EXPECT_EQ(std::string(steps.kernel()), outcome.step_kernel);
  const int64_t per_epoch = (source.size() + sgd.batch_size - 1) / sgd.batch_size;
  for (int64_t i = 0; i < per_epoch; ++i) steps.step(nullptr);
  steps.drain();
  std::filesystem::remove_all(dir);
  return {staged->parameters(), benched->parameters()};
}

void expect_identical(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << "parameter " << i;
}

TEST(TrainStep, BenchStepsEqualTheStagesStepsBitForBit) {
  const DeviceDataset data = synthetic_device_dataset("fashion-mnist", 300, 50, 10, InputShape{1, 28, 28}, torch::kCPU);
  const DatasetFacts& defaults = dataset_facts_of("fashion-mnist");
  auto source = make_true_label_source(data, data.train, /*augment=*/true, defaults.augment);
  const SchedulePreset& cifar = *find_schedule("cifar");
  SgdSpec sgd = cifar.sgd;
  sgd.momentum = cifar.momentum;
  sgd.weight_decay = cifar.l2;
  sgd.batch_size = 64;  // 5 steps, the last one short
  const auto [staged, benched] = stage_and_bench("mlp", data, *source, sgd, /*lean=*/false);
  expect_identical(staged, benched);
  // And the weights moved: the comparison is not between two untouched models.
  const Classifier untouched = fresh_model("mlp", data.shape, data.classes);
  EXPECT_FALSE(torch::equal(untouched->parameters()[0], staged[0]));
}

TEST(TrainStep, LeanBenchStepsEqualTheLeanStage) {
  JobSpec job = parse_job(boost::json::object{{"dataset", "toy-gaussians"}, {"model", "toy-mlp"},
                                               {"init", "adversarial"}, {"device", "cpu"}},
                          "test");
  const DeviceDataset data = load_device_dataset(job, torch::kCPU);
  auto source = make_random_label_source(data, job.init.adversarial, job.alg1_memory_mb << 20);
  const auto [staged, benched] = stage_and_bench("toy-mlp", data, *source, job.init.adversarial.sgd, /*lean=*/true);
  expect_identical(staged, benched);
}

}  // namespace
}  // namespace bgm
