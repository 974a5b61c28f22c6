// The models of the paper: the authors' parameter counts, output shapes for any class count and input shape,
// seeded bit-identical init, the two inits' BN weights, the documented (conv, bn) fold, clones and bad specs.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "models/classifier.h"

namespace bgm {
namespace {

const std::vector<std::string> kCnns = {"vgg16", "resnet18", "resnet50", "densenet40"};
const InputShape kCifar{3, 32, 32};
const InputShape kFashion{1, 28, 28};
const InputShape kToy{2, 1, 1};

ModelSpec spec(const std::string& name, const std::string& init = "pytorch03", int64_t width = 0) {
  ModelSpec s;
  s.name = name;
  s.init = init.empty() ? ModelSpec{}.init : *parse_name<ModelInit>(init);  // "": the default
  s.width = width;
  return s;
}

Classifier build(const std::string& name, const InputShape& input, int64_t classes, const std::string& init = "pytorch03",
                 uint64_t seed = 0) {
  torch::manual_seed(seed);
  return make_model(spec(name, init), input, classes);
}

torch::Tensor batch_for(const InputShape& input, int64_t batch) {
  if (input.is_points()) return torch::randn({batch, input.channels});
  return torch::randn({batch, input.channels, input.height, input.width});
}

std::vector<torch::Tensor> batchnorm_weights(const torch::nn::Module& model) {
  std::vector<torch::Tensor> gammas;
  for (const auto& m : model.modules(false))
    if (auto* bn = m->as<torch::nn::BatchNorm2dImpl>()) gammas.push_back(bn->weight.detach().flatten());
  return gammas;
}

TEST(ModelRegistry, AuthorsParameterCountsAtCifar10) {
  EXPECT_EQ(count_parameters(*build("vgg16", kCifar, 10)), 14728266);
  EXPECT_EQ(count_parameters(*build("resnet18", kCifar, 10)), 11173962);
  EXPECT_EQ(count_parameters(*build("resnet50", kCifar, 10)), 23520842);
  EXPECT_EQ(count_parameters(*build("densenet40", kCifar, 10)), 176122);
  // The same through the torch-free helper, which must not move the global RNG.
  torch::manual_seed(3);
  const auto expected_draw = torch::rand({4});
  torch::manual_seed(3);
  EXPECT_EQ(model_parameter_count(spec("densenet40"), kCifar, 10), 176122);
  EXPECT_TRUE(torch::equal(torch::rand({4}), expected_draw));
}

TEST(ModelRegistry, MlpParameterCountsFollowWidthAndInput) {
  // 2*100+100 + 100*100+100 + 100*2+2
  EXPECT_EQ(count_parameters(*build("toy-mlp", kToy, 2)), 10602);
  // 784*256+256 + 256*256+256 + 256*10+10
  EXPECT_EQ(count_parameters(*build("mlp", kFashion, 10)), 269322);
  torch::manual_seed(0);
  EXPECT_EQ(count_parameters(*make_model(spec("mlp", "pytorch03", 128), kFashion, 10)),
            784 * 128 + 128 + 128 * 128 + 128 + 128 * 10 + 10);
  EXPECT_EQ(count_parameters(*make_model(spec("toy-mlp", "pytorch03", 8), kToy, 2)), 2 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2);
}

TEST(ModelRegistry, OutputShapesForClassCountsInputShapesAndModes) {
  for (const auto& name : kCnns) {
    for (int64_t classes : {10, 100}) {
      auto model = build(name, kCifar, classes);
      for (bool training : {true, false}) {
        model->train(training);
        const auto out = model->forward(batch_for(kCifar, 2));
        EXPECT_EQ(out.sizes(), (std::vector<int64_t>{2, classes})) << name << " training=" << training;
        EXPECT_TRUE(torch::isfinite(out).all().item<bool>()) << name;
      }
    }
  }
  EXPECT_EQ(build("mlp", kFashion, 10)->forward(batch_for(kFashion, 3)).sizes(), (std::vector<int64_t>{3, 10}));
  EXPECT_EQ(build("toy-mlp", kToy, 2)->forward(batch_for(kToy, 5)).sizes(), (std::vector<int64_t>{5, 2}));
}

TEST(ModelRegistry, CnnsTakeGreyscale28AndLarger64Inputs) {
  for (const auto& name : kCnns) {
    auto model = build(name, kFashion, 10);
    model->eval();
    EXPECT_EQ(model->forward(batch_for(kFashion, 2)).sizes(), (std::vector<int64_t>{2, 10})) << name;
  }
  const InputShape big{3, 64, 64};
  for (const auto& name : {"vgg16", "resnet18", "densenet40"}) {
    auto model = build(name, big, 9);
    model->eval();
    EXPECT_EQ(model->forward(batch_for(big, 2)).sizes(), (std::vector<int64_t>{2, 9})) << name;
  }
  // Parameter counts do not depend on the image size, only on channels and classes.
  EXPECT_EQ(count_parameters(*build("resnet18", big, 10)), 11173962);
}

TEST(ModelRegistry, SameSeedGivesBitIdenticalWeightsForBothInits) {
  for (const std::string init : {"pytorch03", "libtorch", "authors"}) {
    for (const auto& name : {"toy-mlp", "mlp", "vgg16", "resnet18", "resnet50", "densenet40"}) {
      const InputShape input = std::string(name) == "toy-mlp" ? kToy : kCifar;
      const auto a = build(name, input, 10, init, 42)->parameters();
      const auto b = build(name, input, 10, init, 42)->parameters();
      const auto c = build(name, input, 10, init, 43)->parameters();
      ASSERT_EQ(a.size(), b.size());
      bool any_differs_from_other_seed = false;
      for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_TRUE(torch::equal(a[i], b[i])) << name << " " << init << " parameter " << i;
        any_differs_from_other_seed = any_differs_from_other_seed || !torch::equal(a[i], c[i]);
      }
      EXPECT_TRUE(any_differs_from_other_seed) << name << " " << init;
    }
  }
}

// The paper ran PyTorch 0.3, whose BatchNorm drew gamma ~ U(0,1): the default, and the authors' for all but DenseNet.
TEST(ModelRegistry, PaperInitDrawsBatchNormGammaFromUnitInterval) {
  for (const auto& name : {"vgg16", "resnet18", "resnet50", "densenet40"}) {
    for (const std::string init : {"pytorch03", ""}) {
      const auto gammas = torch::cat(batchnorm_weights(*build(name, kCifar, 10, init, 1)));
      EXPECT_GE(gammas.min().item<float>(), 0.0f) << name;
      EXPECT_LT(gammas.max().item<float>(), 1.0f) << name;
      EXPECT_GT(gammas.std().item<float>(), 0.2f) << name;  // U(0,1) has std 0.29; not all equal
      EXPECT_NEAR(gammas.mean().item<float>(), 0.5f, 0.05f) << name;
    }
    const auto libtorch = torch::cat(batchnorm_weights(*build(name, kCifar, 10, "libtorch", 1)));
    EXPECT_TRUE(torch::all(libtorch == 1).item<bool>()) << name;
  }
  // Only the BN weights differ: the authors' init of the non-DenseNet models is the paper's, bit for bit.
  const auto paper = build("resnet18", kCifar, 10, "pytorch03", 3)->parameters();
  const auto authors = build("resnet18", kCifar, 10, "authors", 3)->parameters();
  ASSERT_EQ(paper.size(), authors.size());
  for (size_t i = 0; i < paper.size(); ++i) EXPECT_TRUE(torch::equal(paper[i], authors[i])) << "parameter " << i;
}

TEST(ModelRegistry, DenseNetAuthorsInitIsHeNormalWithUnitBatchNorm) {
  auto model = build("densenet40", kCifar, 10, "authors", 5);
  for (const auto& gamma : batchnorm_weights(*model)) EXPECT_TRUE(torch::all(gamma == 1).item<bool>());
  const auto modules = model->named_modules("", false);
  // block2.0.conv2: 3x3, 12 output channels -> std sqrt(2 / 108) = 0.136; 48*12*9 = 5184 draws.
  auto* conv = modules["block2.0.conv2"]->as<torch::nn::Conv2dImpl>();
  ASSERT_NE(conv, nullptr);
  EXPECT_NEAR(conv->weight.std().item<float>(), std::sqrt(2.0 / 108.0), 0.01);
  EXPECT_NEAR(conv->weight.mean().item<float>(), 0.0, 0.01);
  // The paper's init for the same layer is uniform within +-1/sqrt(48*9) = 0.048: far narrower.
  const auto with_defaults = build("densenet40", kCifar, 10, "pytorch03", 5);
  auto* default_conv = with_defaults->named_modules("", false)["block2.0.conv2"]->as<torch::nn::Conv2dImpl>();
  EXPECT_LT(default_conv->weight.abs().max().item<float>(), 1.0 / std::sqrt(48.0 * 9.0) + 1e-6);
  auto* fc = modules["fc"]->as<torch::nn::LinearImpl>();
  ASSERT_NE(fc, nullptr);
  EXPECT_TRUE(torch::all(fc->bias == 0).item<bool>());
  EXPECT_FALSE(torch::all(fc->weight == 0).item<bool>());
}

TEST(ModelRegistry, ConvBnPairsFollowTheNamingRuleAndFold) {
  EXPECT_EQ(build("vgg16", kCifar, 10)->conv_bn_pairs().size(), 13u);
  EXPECT_TRUE(build("densenet40", kCifar, 10)->conv_bn_pairs().empty());  // pre-activation: nothing folds
  EXPECT_TRUE(build("mlp", kFashion, 10)->conv_bn_pairs().empty());
  EXPECT_EQ(build("resnet50", kCifar, 10)->conv_bn_pairs().size(), 1u + 16u * 3u + 4u);

  auto resnet = build("resnet18", kCifar, 10, "authors", 2);
  const auto pairs = resnet->conv_bn_pairs();
  ASSERT_EQ(pairs.size(), 1u + 8u * 2u + 3u);  // stem, two per block, three projection shortcuts
  EXPECT_EQ(pairs.front(), std::make_pair(std::string("conv1"), std::string("bn1")));
  EXPECT_EQ(pairs[1], std::make_pair(std::string("layer1.0.conv1"), std::string("layer1.0.bn1")));
  bool has_shortcut = false;
  for (const auto& p : pairs)
    has_shortcut = has_shortcut || p == std::make_pair(std::string("layer2.0.shortcut_conv"),
                                                        std::string("layer2.0.shortcut_bn"));
  EXPECT_TRUE(has_shortcut);

  // The fold documented in classifier.h reproduces bn(conv(x)) in eval mode, for a pair with running stats set.
  ASSERT_EQ(pairs[5].first, "layer2.0.conv1");
  const auto modules = resnet->named_modules("", false);
  auto* conv = modules[pairs[5].first]->as<torch::nn::Conv2dImpl>();
  auto* bn = modules[pairs[5].second]->as<torch::nn::BatchNorm2dImpl>();
  ASSERT_NE(conv, nullptr);
  ASSERT_NE(bn, nullptr);
  torch::NoGradGuard no_grad;
  bn->running_mean.uniform_(-0.5, 0.5);
  bn->running_var.uniform_(0.5, 2.0);
  resnet->eval();
  const auto x = torch::randn({2, conv->options.in_channels(), 8, 8});
  const auto expected = bn->forward(conv->forward(x));
  const auto scale = bn->weight / torch::sqrt(bn->running_var + bn->options.eps());
  const auto folded_weight = conv->weight * scale.view({-1, 1, 1, 1});
  const auto folded_bias = -bn->running_mean * scale + bn->bias;  // the conv has no bias
  // layer2.0.conv1: 3x3, stride 2, padding 1.
  const auto folded = torch::conv2d(x, folded_weight, folded_bias, /*stride=*/{2, 2}, /*padding=*/{1, 1});
  EXPECT_TRUE(torch::allclose(folded, expected, 1e-4, 1e-5));
}

TEST(ModelRegistry, ClonesKeepTheArchitectureAndOptionallyTheWeights) {
  auto model = build("resnet18", kCifar, 100, "authors", 9);
  model->eval();
  const auto x = batch_for(kCifar, 2);
  const auto expected = model->forward(x);

  torch::manual_seed(11);
  const auto expected_draw = torch::rand({4});
  torch::manual_seed(11);
  auto copy = clone_with_weights(*model);
  EXPECT_TRUE(torch::equal(torch::rand({4}), expected_draw));  // the global RNG is untouched
  EXPECT_FALSE(copy->is_training());
  EXPECT_TRUE(torch::equal(copy->forward(x), expected));

  torch::manual_seed(11);
  auto fresh = clone_architecture(*model);
  EXPECT_TRUE(torch::equal(torch::rand({4}), expected_draw));
  EXPECT_EQ(fresh->blueprint.spec.name, "resnet18");
  EXPECT_EQ(fresh->blueprint.classes, 100);
  EXPECT_EQ(count_parameters(*fresh), count_parameters(*model));
  EXPECT_FALSE(torch::equal(fresh->parameters().front(), model->parameters().front()));
}

void expect_error_naming(const std::function<void()>& call, const std::string& needle) {
  try {
    call();
    ADD_FAILURE() << "expected a bgm::Error mentioning " << needle;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(ModelRegistry, BadSpecsAreErrorsNamingTheKey) {
  expect_error_naming([] { make_model(spec("alexnet"), kCifar, 10); }, "model.name");
  expect_error_naming([] { make_model(spec("vgg16", "pytorch03", 64), kCifar, 10); }, "model.width");
  expect_error_naming([] { make_model(spec("mlp", "pytorch03", -1), kCifar, 10); }, "model.width");
  expect_error_naming([] { make_model(spec("mlp"), kCifar, 0); }, "classes");
  expect_error_naming([] { make_model(spec("densenet40"), InputShape{3, 2, 2}, 10); }, "densenet40");
}

TEST(InputShapeText, ParsesImagesAndPointsAndRejectsTheRest) {
  const auto image = parse_input_shape("1,28,28", "--input");
  EXPECT_EQ(image.channels, 1);
  EXPECT_EQ(image.height, 28);
  EXPECT_EQ(image.to_string(), "1x28x28");
  const auto points = parse_input_shape("2", "--input");
  EXPECT_TRUE(points.is_points());
  EXPECT_EQ(points.to_string(), "2");
  for (const std::string bad : {"", "3,32", "3,32,x", "3,0,32", "-1", "3,32,32,1", "3x32x32"})
    expect_error_naming([&] { parse_input_shape(bad, "--input"); }, "--input");
}

}  // namespace
}  // namespace bgm
