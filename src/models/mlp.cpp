// The two fully connected models: toy-mlp (Fig. 1's 2-100-100 network) and mlp (for 28x28 Fashion-MNIST).
// Both are flatten -> Linear(features, W) ReLU -> Linear(W, W) ReLU -> Linear(W, classes).
#include "models/model_families.h"

namespace bgm {
namespace {

struct ThreeLayerMlp : ClassifierImpl {
  ThreeLayerMlp(int64_t features, int64_t width, int64_t classes)
      : fc1(register_module("fc1", torch::nn::Linear(features, width))),
        fc2(register_module("fc2", torch::nn::Linear(width, width))),
        fc3(register_module("fc3", torch::nn::Linear(width, classes))) {}

  torch::Tensor forward(torch::Tensor x) override {
    x = torch::relu(fc1->forward(x.flatten(1)));
    x = torch::relu(fc2->forward(x));
    return fc3->forward(x);
  }

  torch::nn::Linear fc1, fc2, fc3;
};

}  // namespace

namespace model_families {

Classifier build_toy_mlp(const InputShape& input, int64_t classes, int64_t width) {
  return std::make_shared<ThreeLayerMlp>(input.features(), width > 0 ? width : 100, classes);
}

// Width 256 is the acceptance configuration of the small-scale study (shared/small-scale.md, config W).
Classifier build_mlp(const InputShape& input, int64_t classes, int64_t width) {
  return std::make_shared<ThreeLayerMlp>(input.features(), width > 0 ? width : 256, classes);
}

}  // namespace model_families
}  // namespace bgm
