// The job spec: presets resolve as the paper says, round trips are exact, and every bad input is an
// error that names the key path.
#include <gtest/gtest.h>

#include <cstdlib>

#include <boost/json.hpp>

#include "core/error.h"
#include "core/job_presets.h"
#include "core/job_spec.h"
#include "core/json_reader.h"

namespace bgm {
namespace {

JobSpec parse(const std::string& text) { return parse_job(parse_json_text(text, "job.json"), "job.json"); }

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(JobSpec, CifarSotaPresetIsThePapers) {
  const JobSpec j = parse(R"({"dataset": "cifar10", "model": "resnet18", "mode": "sota", "seed": 3})");
  EXPECT_EQ(j.schedule, "cifar");
  EXPECT_EQ(j.train.epochs, 350);
  EXPECT_EQ(j.train.milestones, (std::vector<int64_t>{150, 250}));
  EXPECT_DOUBLE_EQ(j.train.lr, 0.1);
  EXPECT_EQ(j.train.batch_size, 128);
  EXPECT_DOUBLE_EQ(j.train.momentum, 0.9);
  EXPECT_DOUBLE_EQ(j.train.weight_decay, 5e-4);
  EXPECT_TRUE(j.train.augment);
  EXPECT_EQ(j.augment.crop_padding, 4);
  EXPECT_EQ(j.mode, "sota");
}

TEST(JobSpec, CinicScheduleAndL2) {
  const JobSpec j = parse(R"({"dataset": "cinic10", "model": "vgg16", "mode": "l2"})");
  EXPECT_EQ(j.train.epochs, 300);
  EXPECT_EQ(j.train.milestones, (std::vector<int64_t>{150, 225}));
  EXPECT_DOUBLE_EQ(j.train.weight_decay, 1e-4);
  EXPECT_DOUBLE_EQ(j.train.momentum, 0.0);
  EXPECT_FALSE(j.train.augment);
}

TEST(JobSpec, EightModesMapToTheirHeuristics) {
  for (const auto& m : mode_presets()) {
    const JobSpec j = parse(R"({"dataset": "cifar10", "model": "resnet18", "mode": ")" + m.name + R"("})");
    EXPECT_EQ(j.mode, m.name);
    EXPECT_EQ(j.train.augment, m.augment) << m.name;
    EXPECT_EQ(j.train.weight_decay > 0, m.l2) << m.name;
    EXPECT_EQ(j.train.momentum > 0, m.momentum) << m.name;
  }
  EXPECT_EQ(mode_presets().size(), 8u);
}

TEST(JobSpec, ContradictedPresetBecomesCustom) {
  const JobSpec j = parse(R"({"dataset": "cifar10", "model": "resnet18", "mode": "vanilla", "train": {"momentum": 0.9}})");
  EXPECT_EQ(j.mode, "custom");
}

TEST(JobSpec, AdversarialDefaultsFollowThePaperOrTheAuthors) {
  const JobSpec paper = parse(R"({"dataset": "cifar10", "model": "resnet18", "seed": 4, "init": "adversarial"})");
  EXPECT_EQ(paper.init.adversarial.zero_unit, ZeroUnit::kPixel);
  EXPECT_EQ(paper.init.adversarial.label_seed, 4);
  EXPECT_DOUBLE_EQ(paper.init.adversarial.sgd.stop_accuracy, 100.0);
  EXPECT_DOUBLE_EQ(paper.init.adversarial.sgd.momentum, 0.0);
  EXPECT_EQ(paper.eval.train_accuracy_on, TrainAccuracyOn::kClean);
  EXPECT_EQ(paper.model.init, ModelInit::kPytorch03);  // the paper ran PyTorch 0.3: BN gamma ~ U(0,1)
  const JobSpec authors =
      parse(R"({"dataset": "cifar10", "model": "resnet18", "seed": 4, "init": "adversarial", "behaviour": "authors"})");
  EXPECT_EQ(authors.init.adversarial.zero_unit, ZeroUnit::kValue);
  EXPECT_EQ(authors.init.adversarial.label_seed, 1);
  EXPECT_DOUBLE_EQ(authors.init.adversarial.sgd.stop_accuracy, 99.99);
  EXPECT_EQ(authors.init.adversarial.sgd.check_every, 25);
  EXPECT_EQ(authors.model.init, ModelInit::kAuthors);
  EXPECT_EQ(authors.eval.train_accuracy_on, TrainAccuracyOn::kAugmented);
}

struct ToyExpectation {
  double center, std_dev, offset;
  int64_t test_points;
  double noise_std;
  bool redrawn;  // noise per epoch, the original points not kept; else drawn once beside the originals
  double weight_decay;
};

void expect_toy(const JobSpec& job, const ToyExpectation& e) {
  EXPECT_DOUBLE_EQ(job.dataset.toy_center, e.center);
  EXPECT_DOUBLE_EQ(job.dataset.toy_std, e.std_dev);
  EXPECT_DOUBLE_EQ(job.dataset.toy_offset_x, e.offset);
  EXPECT_DOUBLE_EQ(job.dataset.toy_offset_y, e.offset);
  EXPECT_EQ(job.dataset.toy_test_points_per_class, e.test_points);
  EXPECT_DOUBLE_EQ(job.augment.noise_std, e.noise_std);
  EXPECT_EQ(job.augment.noise_per_epoch, e.redrawn);
  EXPECT_EQ(job.augment.noise_keep_original, !e.redrawn);
  EXPECT_DOUBLE_EQ(job.train.weight_decay, e.weight_decay);
}

// Fig. 1: "SGD with a batch size of 10 until 100% accuracy" for every setting, the true-label stage too.
TEST(JobSpec, ToyStagesTrainUntilTheyFitTheirLabels) {
  const JobSpec job = parse(R"({"dataset": "toy-gaussians", "model": "toy-mlp", "init": "adversarial"})");
  EXPECT_DOUBLE_EQ(job.train.stop_accuracy, 100.0);
  EXPECT_EQ(job.train.check_every, 1);
  EXPECT_EQ(job.train.epochs, 30000);  // the cap
  EXPECT_EQ(job.train.batch_size, 10);
  EXPECT_DOUBLE_EQ(job.init.adversarial.sgd.stop_accuracy, 100.0);
  EXPECT_DOUBLE_EQ(parse(R"({"dataset": "toy-gaussians", "model": "toy-mlp", "train": {"stop_accuracy": 0}})")
                       .train.stop_accuracy, 0.0);
}

// The paper gives no toy numbers; behaviour "authors" takes their committed data, DA and setting (d)'s l2.
TEST(JobSpec, ToyFollowsOursOrTheAuthors) {
  expect_toy(parse(R"({"dataset": "toy-gaussians", "model": "toy-mlp", "mode": "sota"})"),
             {1.5, 0.5, 0.0, 500, 0.2, true, 5e-4});
  const JobSpec authors =
      parse(R"({"dataset": "toy-gaussians", "model": "toy-mlp", "mode": "sota", "behaviour": "authors"})");
  expect_toy(authors, {0.65, 0.15, 0.2, 50, 0.1, false, 0.1});
  EXPECT_DOUBLE_EQ(authors.train.momentum, 0.9);
  EXPECT_EQ(authors.mode, "sota");
  // Other datasets keep their l2 under the authors' behaviour.
  EXPECT_DOUBLE_EQ(parse(R"({"dataset": "cinic10", "model": "resnet18", "mode": "sota", "behaviour": "authors"})")
                       .train.weight_decay, 1e-4);
  EXPECT_NE(error_of(R"({"dataset": {"name": "toy-gaussians", "toy_offset": [1]}, "model": "toy-mlp"})")
                .find("dataset.toy_offset"), std::string::npos);
}

TEST(JobSpec, ResolvedJobRoundTripsAndHashIgnoresPlacement) {
  const JobSpec a = parse(R"({"dataset": {"name": "fashion-mnist", "train_subset": 500}, "model": {"name": "mlp", "width": 128},
                             "init": {"kind": "adversarial", "R": 20}, "mode": "sota", "output": "/tmp/a"})");
  const JobSpec b = parse_job(boost::json::value(job_to_json(a)), "resolved");
  EXPECT_EQ(boost::json::serialize(job_to_json(a)), boost::json::serialize(job_to_json(b)));
  EXPECT_EQ(job_hash(a), job_hash(b));
  JobSpec moved = a;
  moved.output = "/elsewhere";
  moved.device = "cuda";
  moved.threads = 4;
  moved.dataset.root = "/data/x";
  moved.cudnn_benchmark = false;
  moved.lean_step = false;
  EXPECT_EQ(job_hash(a), job_hash(moved));
  EXPECT_EQ(adversarial_key(a), adversarial_key(moved));
  JobSpec other = a;
  other.seed = 1;
  EXPECT_NE(job_hash(a), job_hash(other));
  EXPECT_NE(adversarial_key(a), adversarial_key(other));
  JobSpec vanilla = a;
  vanilla.mode = "vanilla";
  EXPECT_EQ(adversarial_key(a), adversarial_key(vanilla));  // one W0A serves both modes
  EXPECT_NE(job_hash(a), job_hash(vanilla));
  EXPECT_EQ(job_hash(a).size(), 16u);
  // Precision changes the numbers, so it is part of both ids, except the default fp32, which leaves ids as they were.
  JobSpec bf16 = a;
  bf16.precision = Precision::kBf16;
  EXPECT_NE(job_hash(a), job_hash(bf16));
  EXPECT_NE(adversarial_key(a), adversarial_key(bf16));
  EXPECT_FALSE(job_identity(a).contains("precision"));
  EXPECT_EQ(job_to_json(a).at("precision").as_string(), "fp32");
  // So is subset_pick: "first" trains on other examples; the default "random" leaves ids as they were.
  JobSpec first = a;
  first.dataset.subset_pick = SubsetPick::kFirst;
  EXPECT_NE(job_hash(a), job_hash(first));
  EXPECT_NE(adversarial_key(a), adversarial_key(first));
  EXPECT_FALSE(job_identity(a).at("dataset").as_object().contains("subset_pick"));
  EXPECT_EQ(job_to_json(a).at("dataset").at("subset_pick").as_string(), "random");
  const JobSpec first_back = parse_job(boost::json::value(job_to_json(first)), "resolved");
  EXPECT_EQ(first_back.dataset.subset_pick, SubsetPick::kFirst);
  EXPECT_EQ(job_hash(first_back), job_hash(first));
}

TEST(JobSpec, ErrorsNameTheKeyPath) {
  EXPECT_NE(error_of(R"({"model": "resnet18"})").find("job.json: dataset: required"), std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "cifar11", "model": "resnet18"})").find("dataset.name: 'cifar11' is not one of"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "cifar10", "model": "resnet18", "train": {"momentun": 0.9}})")
                .find("train.momentun: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "cifar10", "model": "resnet18", "train": {"lr": "fast"}})")
                .find("train.lr: expected a number, got string"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "cifar10", "model": "resnet18", "train": {"batch_size": 0}})").find("train.batch_size"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "cifar10", "model": "resnet18", "train": {"milestones": [250, 150]}})")
                .find("train.milestones: must be strictly increasing"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "cifar10", "model": "resnet18", "init": {"kind": "adversarial", "zero_fraction": 1.5}})")
                .find("init.zero_fraction"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "cifar10", "model": "toy-mlp"})").find("model: toy-mlp takes 2-D points"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "cifar10", "model": "resnet18", "seed": -1})").find("seed"), std::string::npos);
  // The old name of LibTorch's init is refused with the new names, not silently mapped.
  EXPECT_NE(error_of(R"({"dataset": "cifar10", "model": {"name": "resnet18", "init": "pytorch"}})")
                .find("model.init: \"pytorch\" is now \"libtorch\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "cifar10", "model": "resnet18", "device": "tpu"})").find("device"), std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "toy-gaussians", "model": "toy-mlp", "lean_step": "yes"})").find("lean_step"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "cifar10", "model": "resnet18", "eval": {"fgsm_eps": [2]}})").find("eval.fgsm_eps"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": {"name": "cifar10", "subset_pick": "last", "train_subset": 10}, "model": "resnet18"})")
                .find("dataset.subset_pick: 'last' is not one of"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": {"name": "cifar10", "subset_pick": "first"}, "model": "resnet18"})")
                .find("dataset.subset_pick: 'first' picks a subset, but train_subset and test_subset are 0"),
            std::string::npos);
  EXPECT_NE(error_of("[1, 2]").find("expected an object"), std::string::npos);
  EXPECT_NE(error_of("{\"dataset\": ").find("job.json: invalid JSON"), std::string::npos);
  EXPECT_NE(error_of("{\"dataset\": \"toy-gaussians\",\n \"seed\": NaN}").find("invalid JSON at line 2, column 10"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "toy-gaussians", "model": "toy-mlp", "train": {"lr": 0.1, "lr": 0.2}})")
                .find("job.json: train.lr: the key appears twice"), std::string::npos);
  EXPECT_NE(error_of(R"({"dataset": "toy-gaussians", "seed": 3, "model": "toy-mlp", "seed": 4})").find("job.json: seed: the key appears twice"),
            std::string::npos);
  // A UTF-8 byte order mark is not an error.
  EXPECT_EQ(error_of("\xEF\xBB\xBF{\"dataset\": \"toy-gaussians\", \"model\": \"toy-mlp\"}"), "(no error)");
}

}  // namespace
}  // namespace bgm

// Boost.JSON 1.81 reads 9.635779714060739E-4 one unit in the last place off; parse_json_text must not (a reused
// adversarial init's distance is read back from its result file).
TEST(JsonReader, DoublesReadBackBitForBit) {
  const std::string text = R"({"a": 9.635779714060739E-4, "s": "1.5 // not a number", /* 2.5 */ "b": [1, -0.1, 3e-7],
                               "c": 0.30000000000000004})";
  const boost::json::value v = bgm::parse_json_text(text, "test");
  EXPECT_EQ(v.at("a").as_double(), std::strtod("9.635779714060739E-4", nullptr));
  EXPECT_EQ(v.at("b").as_array()[0].as_int64(), 1);
  EXPECT_EQ(v.at("b").as_array()[1].as_double(), -0.1);
  EXPECT_EQ(v.at("b").as_array()[2].as_double(), 3e-7);
  EXPECT_EQ(v.at("c").as_double(), 0.1 + 0.2);
  EXPECT_EQ(v.at("s").as_string(), "1.5 // not a number");
  // Every double that serialize() prints comes back as the same bits.
  for (double x : {9.635779714060739E-4, 1.0 / 3.0, 2.0 / 7.0 * 1e-9, 6.02214076e23}) {
    const boost::json::value back = bgm::parse_json_text(boost::json::serialize(boost::json::value(x)), "test");
    EXPECT_EQ(back.as_double(), x);
  }
}
