// The hand-written MLP step (train/lean_mlp_step.h) against LibTorch's: the same weights, momentum buffers and
// losses, step after step, to float rounding; and it is only taken where it applies.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "dist/communicator.h"
#include "models/classifier.h"
#include "train/lean_mlp_step.h"
#include "train/sgd.h"

namespace bgm {
namespace {

Classifier toy_model(int64_t seed, int64_t width, int64_t classes) {
  torch::manual_seed(seed);
  ModelSpec spec;
  spec.name = "toy-mlp";
  spec.width = width;
  spec.init = ModelInit::kPytorch03;
  return make_model(spec, InputShape{2, 1, 1}, classes);
}

// run_sgd_stage's LibTorch step on one rank: mean cross-entropy, backward, Sgd::step. Returns the summed loss.
double libtorch_step(ClassifierImpl& model, Sgd& sgd, const torch::Tensor& x, const torch::Tensor& y, double lr) {
  sgd.zero_grad();
  auto loss = torch::nn::functional::cross_entropy(model.forward(x), y,
                                                   torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
  const double sum = loss.item<double>();
  (loss / static_cast<double>(x.size(0))).backward();
  sgd.step(lr);
  return sum;
}

void expect_close(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b, double tol, const char* what) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) {
    ASSERT_TRUE(a[k].defined() && b[k].defined()) << what << " " << k;
    const double diff = (a[k] - b[k]).abs().max().item<double>();
    EXPECT_LT(diff, tol) << what << " " << k << " differ by " << diff;
  }
}

void check_against_libtorch(double momentum, double weight_decay, int64_t classes, int64_t batch) {
  Classifier reference = toy_model(3, 100, classes), lean_model = toy_model(3, 100, classes);
  Sgd reference_sgd(reference->parameters(), momentum, weight_decay);
  Sgd lean_sgd(lean_model->parameters(), momentum, weight_decay);
  auto comm = make_communicator("none", 0);
  auto lean = LeanMlpStep::make(*lean_model, *comm, lean_sgd);
  ASSERT_NE(lean, nullptr);
  auto gen = at::make_generator<at::CPUGeneratorImpl>(11);
  for (int step = 0; step < 40; ++step) {
    // The last batch of an epoch can be short: vary the size.
    const int64_t rows = step % 7 == 6 ? 3 : batch;
    const auto x = torch::randn({rows, 2}, gen) * 0.5;
    const auto y = torch::randint(0, classes, {rows}, gen, torch::kInt64);
    const double lr = step < 20 ? 0.05 : 0.005;
    const double expected = libtorch_step(*reference, reference_sgd, x, y, lr);
    const double got = lean->step(x.data_ptr<float>(), y.data_ptr<int64_t>(), rows, lr);
    EXPECT_NEAR(got, expected, 1e-4 * std::max(1.0, std::abs(expected))) << "loss at step " << step;
  }
  expect_close(lean_model->parameters(), reference->parameters(), 2e-5, "parameter");
  if (momentum != 0) expect_close(lean_sgd.momentum_buffers(), reference_sgd.momentum_buffers(), 2e-5, "momentum buffer");
}

TEST(LeanMlpStep, MatchesLibTorchPlainSgd) { check_against_libtorch(0, 0, 2, 10); }
TEST(LeanMlpStep, MatchesLibTorchWithMomentumAndWeightDecay) { check_against_libtorch(0.9, 5e-4, 2, 10); }
TEST(LeanMlpStep, MatchesLibTorchWithMoreClassesAndBatches) { check_against_libtorch(0.9, 1e-3, 5, 32); }

TEST(LeanMlpStep, ResumesFromLoadedMomentumBuffers) {
  // A checkpoint restores the buffers into the optimizer; the lean step must continue from them, not restart.
  Classifier reference = toy_model(5, 16, 2), lean_model = toy_model(5, 16, 2);
  Sgd reference_sgd(reference->parameters(), 0.9, 0);
  Sgd lean_sgd(lean_model->parameters(), 0.9, 0);
  const auto x = torch::tensor({0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.6f}).view({3, 2});
  const auto y = torch::tensor({0, 1, 1}, torch::kInt64);
  libtorch_step(*reference, reference_sgd, x, y, 0.1);
  libtorch_step(*lean_model, lean_sgd, x, y, 0.1);  // the buffers now exist, as after a resume
  auto comm = make_communicator("none", 0);
  auto lean = LeanMlpStep::make(*lean_model, *comm, lean_sgd);
  ASSERT_NE(lean, nullptr);
  libtorch_step(*reference, reference_sgd, x, y, 0.1);
  lean->step(x.data_ptr<float>(), y.data_ptr<int64_t>(), 3, 0.1);
  expect_close(lean_model->parameters(), reference->parameters(), 1e-6, "parameter");
}

TEST(LeanMlpStep, OnlyWhereItApplies) {
  auto comm = make_communicator("none", 0);
  // Fashion-MNIST's 784 inputs: LibTorch's GEMMs win.
  torch::manual_seed(0);
  ModelSpec mlp;
  mlp.name = "mlp";
  mlp.width = 32;
  mlp.init = ModelInit::kPytorch03;
  Classifier wide = make_model(mlp, InputShape{1, 28, 28}, 10);
  Sgd wide_sgd(wide->parameters(), 0, 0);
  EXPECT_EQ(LeanMlpStep::make(*wide, *comm, wide_sgd), nullptr);
  // Not an MLP at all.
  ModelSpec resnet;
  resnet.name = "resnet18";
  resnet.init = ModelInit::kPytorch03;
  Classifier conv = make_model(resnet, InputShape{3, 32, 32}, 10);
  Sgd conv_sgd(conv->parameters(), 0, 0);
  EXPECT_EQ(LeanMlpStep::make(*conv, *comm, conv_sgd), nullptr);
  // The toy in double precision: LibTorch's.
  Classifier toy = toy_model(1, 8, 2);
  toy->to(torch::kFloat64);
  Sgd toy_sgd(toy->parameters(), 0, 0);
  EXPECT_EQ(LeanMlpStep::make(*toy, *comm, toy_sgd), nullptr);
}

}  // namespace
}  // namespace bgm
