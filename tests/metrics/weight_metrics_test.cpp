// Weight distances and complexity norms against values worked out by hand on tiny models.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "metrics/complexity_norms.h"
#include "metrics/weight_distance.h"
#include "models/pooling.h"

namespace bgm {
namespace {

double number(const boost::json::object& o, const char* key) { return o.at(key).to_number<double>(); }

void set(torch::Tensor t, std::vector<double> values) {
  torch::NoGradGuard no_grad;
  t.copy_(torch::tensor(values, torch::kFloat64).reshape(t.sizes()));
}

// Linear(2,1) then BatchNorm1d(1): enough for a parameter and a running statistic.
struct LinearBn : torch::nn::Module {
  torch::nn::Linear lin{nullptr};
  torch::nn::BatchNorm1d bn{nullptr};
  LinearBn() {
    lin = register_module("lin", torch::nn::Linear(2, 1));
    bn = register_module("bn", torch::nn::BatchNorm1d(1));
  }
};

TEST(WeightDistance, ParamsAndStateByHand) {
  LinearBn earlier, later;
  set(earlier.lin->weight, {1, 2});
  set(earlier.lin->bias, {0});
  set(earlier.bn->running_mean, {0});
  set(later.lin->weight, {1, 0});
  set(later.lin->bias, {2});
  set(later.bn->running_mean, {3});
  later.bn->num_batches_tracked.fill_(1000);  // a step counter: must not count
  // gamma = 1, beta = 0, running_var = 1 on both sides (defaults).
  auto d = relative_distance(snapshot(earlier), snapshot(later));
  // params: diff^2 = 2^2 (weight) + 2^2 (bias) = 8; later params^2 = 1 + 4 + gamma 1 = 6.
  EXPECT_NEAR(number(d, "params"), std::sqrt(8.0 / 6.0), 1e-12);
  // state adds mean 3^2 to the diff and mean 9 + var 1 to the norm.
  EXPECT_NEAR(number(d, "state"), std::sqrt(17.0 / 16.0), 1e-12);
  // The same model against itself is at distance 0; the denominator is the second argument.
  EXPECT_EQ(number(relative_distance(snapshot(later), snapshot(later)), "state"), 0.0);
  auto reverse = relative_distance(snapshot(later), snapshot(earlier));
  EXPECT_NEAR(number(reverse, "params"), std::sqrt(8.0 / (1 + 4 + 0 + 1)), 1e-12);
}

TEST(WeightDistance, SnapshotIsACopyOnTheCpu) {
  LinearBn model;
  auto snap = snapshot(model);
  ASSERT_EQ(snap.size(), 6u);  // lin.weight, lin.bias, bn.weight, bn.bias, bn.running_mean, bn.running_var
  for (const auto& [name, tensor] : snap) EXPECT_EQ(name.find("num_batches_tracked"), std::string::npos) << name;
  set(model.lin->weight, {5, 5});
  EXPECT_NE(snap[0].second[0][0].item<double>(), 5.0);
}

TEST(WeightDistance, MismatchNamesTheTensor) {
  LinearBn a;
  auto from = snapshot(a), to = snapshot(a);
  to[0].second = torch::zeros({3});
  try {
    relative_distance(from, to);
    FAIL() << "expected a shape error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("lin.weight"), std::string::npos) << e.what();
  }
  to = snapshot(a);
  to.erase(to.begin() + 1);  // lin.bias only in `from`
  try {
    relative_distance(from, to);
    FAIL() << "expected a missing-tensor error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("lin.bias"), std::string::npos) << e.what();
  }
}

TEST(WeightDistance, UnknownBufferIsRefused) {
  LinearBn model;
  model.register_buffer("mask", torch::ones({2}));
  EXPECT_THROW(snapshot(model), Error);
}

// 2-2-1 ReLU MLP with hand-picked weights.
struct TinyMlp : ClassifierImpl {
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  TinyMlp() {
    fc1 = register_module("fc1", torch::nn::Linear(2, 2));
    fc2 = register_module("fc2", torch::nn::Linear(2, 1));
    to(torch::kFloat64);  // so the hand values below are exact
    set(fc1->weight, {1, -2, 3, 0.5});
    set(fc1->bias, {0.5, -1});
    set(fc2->weight, {2, -1});
    set(fc2->bias, {0.25});
  }
  torch::Tensor forward(torch::Tensor x) override { return fc2(torch::relu(fc1(x))); }
};

TEST(ComplexityNorms, MlpByHand) {
  TinyMlp model;
  auto norms = complexity_norms_of_scratch(model, InputShape{2, 1, 1});
  EXPECT_NEAR(number(norms, "frobenius"), std::sqrt(1 + 4 + 9 + 0.25 + 0.25 + 1 + 4 + 1 + 0.0625), 1e-12);
  // |W1| 1 + |b1| = (1+2+0.5, 3+0.5+1) = (3.5, 4.5); |W2| h + |b2| = 2*3.5 + 4.5 + 0.25.
  EXPECT_NEAR(number(norms, "l1_path"), 11.75, 1e-12);
  // Squares: (1+4+0.25, 9+0.25+1) = (5.25, 10.25); 4*5.25 + 10.25 + 0.0625.
  EXPECT_NEAR(number(norms, "l2_path"), std::sqrt(31.3125), 1e-12);
  // sigma(W1): W1 W1^T = [[5, 2], [2, 9.25]], top eigenvalue (14.25 + sqrt(4.25^2 + 16)) / 2; sigma([2,-1]) = sqrt 5.
  const double sigma1 = std::sqrt((14.25 + std::sqrt(4.25 * 4.25 + 16)) / 2);
  EXPECT_NEAR(number(norms, "spectral"), sigma1 * std::sqrt(5.0), 1e-9);
  EXPECT_NEAR(number(norms, "spectral_log10"), std::log10(sigma1 * std::sqrt(5.0)), 1e-9);
}

// conv1 (1->1, 2x2, with bias) -> bn1 -> ReLU -> linear: the BN folds into conv1.
struct ConvBnNet : ClassifierImpl {
  torch::nn::Conv2d conv1{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr};
  torch::nn::Linear fc{nullptr};
  ConvBnNet() {
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 1, 2).bias(true)));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(1));
    fc = register_module("fc", torch::nn::Linear(1, 1));
    to(torch::kFloat64);
    set(conv1->weight, {1, -2, 0.5, 3});
    set(conv1->bias, {0.3});
    set(bn1->weight, {2});
    set(bn1->bias, {-1});
    set(bn1->running_mean, {0.5});
    set(bn1->running_var, {3});
    set(fc->weight, {1.5});
    set(fc->bias, {0.2});
  }
  torch::Tensor forward(torch::Tensor x) override { return fc(torch::relu(bn1(conv1(x))).flatten(1)); }
};

TEST(ComplexityNorms, ConvBatchNormFoldedByHand) {
  ConvBnNet model;
  ASSERT_EQ(model.conv_bn_pairs().size(), 1u);
  auto norms = complexity_norms_of_scratch(model, InputShape{1, 2, 2});
  const double a = 2 / std::sqrt(3 + 1e-5);          // folded scale gamma / sqrt(var + eps)
  const double shift = std::abs(-1 - a * 0.5 + a * 0.3);  // beta - a mean + a conv_bias
  EXPECT_NEAR(number(norms, "frobenius"), std::sqrt(14.25 + 0.09 + 4 + 1 + 2.25 + 0.04), 1e-12);
  // Folded conv on ones: a (1+2+0.5+3) + |shift|; then 1.5 h + 0.2.
  EXPECT_NEAR(number(norms, "l1_path"), 1.5 * (a * 6.5 + shift) + 0.2, 1e-9);
  EXPECT_NEAR(number(norms, "l2_path"), std::sqrt(2.25 * (a * a * 14.25 + shift * shift) + 0.04), 1e-9);
  // Folded kernel as a 1x4 matrix: sigma = a ||w||; the linear layer adds 1.5.
  EXPECT_NEAR(number(norms, "spectral"), a * std::sqrt(14.25) * 1.5, 1e-9);
}

// norm (a BN that follows no conv, like DenseNet's pre-activation BN) -> conv -> flatten.
struct LoneBnNet : ClassifierImpl {
  torch::nn::BatchNorm2d norm{nullptr};
  torch::nn::Conv2d conv{nullptr};
  LoneBnNet() {
    norm = register_module("norm", torch::nn::BatchNorm2d(1));
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 1, 2).bias(false)));
    to(torch::kFloat64);
    set(norm->weight, {3});
    set(norm->bias, {0.5});
    set(norm->running_mean, {1});
    set(norm->running_var, {2});
    set(conv->weight, {1, -1, 2, 0.5});
  }
  torch::Tensor forward(torch::Tensor x) override { return conv(norm(x)).flatten(1); }
};

TEST(ComplexityNorms, LoneBatchNormIsAnAffineLayer) {
  LoneBnNet model;
  ASSERT_TRUE(model.conv_bn_pairs().empty());
  auto norms = complexity_norms_of_scratch(model, InputShape{1, 2, 2});
  const double a = 3 / std::sqrt(2 + 1e-5), b = 0.5 - a * 1;
  EXPECT_NEAR(number(norms, "l1_path"), 4.5 * (std::abs(a) + std::abs(b)), 1e-9);
  EXPECT_NEAR(number(norms, "l2_path"), std::sqrt(6.25 * (a * a + b * b)), 1e-9);
  EXPECT_NEAR(number(norms, "spectral"), std::abs(a) * std::sqrt(6.25), 1e-9);
}

// conv (1x1 kernel, weight w) -> average pool over the 2x2 map -> linear (weight v): the pool weighs (1/4)^p.
struct PooledNet : ClassifierImpl {
  torch::nn::Conv2d conv{nullptr};
  torch::nn::Linear fc{nullptr};
  explicit PooledNet(bool global) : global(global) {
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 1, 1).bias(false)));
    fc = register_module("fc", torch::nn::Linear(torch::nn::LinearOptions(1, 1).bias(false)));
    to(torch::kFloat64);
    set(conv->weight, {-3});
    set(fc->weight, {0.5});
  }
  torch::Tensor forward(torch::Tensor x) override {
    x = conv(x);
    return fc(global ? global_average_pool(x) : average_pool2d(x, 2).flatten(1));
  }
  bool global;
};

TEST(ComplexityNorms, AveragePoolIsAWeightRaisedToP) {
  for (const bool global : {true, false}) {
    PooledNet model(global);
    auto norms = complexity_norms_of_scratch(model, InputShape{1, 2, 2});
    // l1: 4 paths of weight 3 * 1/4 * 0.5; l2: sqrt(4 * 9 * (1/4)^2 * 0.25) = 0.75 (1.5 if the pool were ignored).
    EXPECT_NEAR(number(norms, "l1_path"), 1.5, 1e-12) << global;
    EXPECT_NEAR(number(norms, "l2_path"), 0.75, 1e-12) << global;
    // Outside the norms (here on a fresh copy: the scratch model's weights are now powered) the pool is a mean.
    auto out = PooledNet(global).forward(torch::ones({1, 1, 2, 2}, torch::kFloat64));
    EXPECT_NEAR(out.item<double>(), -1.5, 1e-12) << global;
  }
}

TEST(SpectralNorm, KnownMatrices) {
  auto diag = torch::zeros({3, 4}, torch::kFloat64);
  diag[0][0] = 3;
  diag[1][1] = -5;
  diag[2][2] = 1;
  EXPECT_NEAR(spectral_norm(diag), 5.0, 1e-12);
  // Rank one u v^T with |u| = sqrt 5, |v| = sqrt 5.
  auto rank_one = torch::tensor({1.0, 2.0, 2.0, 4.0}, torch::kFloat64).reshape({2, 2});
  EXPECT_NEAR(spectral_norm(rank_one), 5.0, 1e-12);
  EXPECT_EQ(spectral_norm(torch::zeros({2, 3}, torch::kFloat64)), 0.0);
  // The start vector comes from its own generator: the global RNG stream is untouched.
  torch::manual_seed(7);
  auto expected = torch::rand({1});
  torch::manual_seed(7);
  spectral_norm(rank_one);
  EXPECT_TRUE(torch::equal(torch::rand({1}), expected));
}

TEST(ComplexityNorms, RegistryModelIsLeftUntouched) {
  for (const std::string name : {"resnet18", "densenet40"}) {
    torch::manual_seed(1);
    Classifier model = make_model(ModelSpec{name, 0, ModelInit::kPytorch03}, InputShape{3, 32, 32}, 10);
    model->train();
    auto before = snapshot(*model);
    auto norms = complexity_norms(*model, InputShape{3, 32, 32});
    EXPECT_TRUE(model->is_training());
    EXPECT_EQ(number(relative_distance(before, snapshot(*model)), "state"), 0.0) << name;
    EXPECT_EQ(model->parameters().front().scalar_type(), torch::kFloat32);
    for (const char* key : {"frobenius", "l1_path", "l2_path", "spectral", "spectral_log10"})
      EXPECT_TRUE(norms.at(key).is_double() && std::isfinite(number(norms, key))) << name << " " << key;
    EXPECT_GT(number(norms, "l1_path"), 0.0) << name;
  }
}

TEST(ComplexityNorms, DefinitionsNameEveryNorm) {
  auto definitions = norm_definitions();
  for (const char* key : {"frobenius", "l1_path", "l2_path", "spectral", "spectral_log10", "batchnorm"})
    EXPECT_TRUE(definitions.contains(key)) << key;
}

}  // namespace
}  // namespace bgm
