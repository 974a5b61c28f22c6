// ResNet18 (BasicBlock [2,2,2,2]) and ResNet50 (Bottleneck [3,4,6,3]) as in kuangliu/pytorch-cifar: a 3x3 stem
// without max-pool, projection shortcuts (1x1 conv + BN) where the shape changes, global average pool, one Linear.
// 11,173,962 and 23,520,842 parameters for 10 classes.
#include "models/model_families.h"
#include "models/pooling.h"

namespace bgm {
namespace {

using torch::nn::BatchNorm2d;
using torch::nn::Conv2d;
using torch::nn::Conv2dOptions;

Conv2d bias_free_conv(int64_t in, int64_t out, int64_t kernel, int64_t stride) {
  return Conv2d(Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false));
}

struct ResidualBlock : torch::nn::Module {
  virtual torch::Tensor forward(torch::Tensor x) = 0;

 protected:
  // Option B: identity, or 1x1 conv + BN when stride or width changes.
  void add_shortcut_if_needed(int64_t in, int64_t out, int64_t stride) {
    if (stride == 1 && in == out) return;
    shortcut_conv = register_module("shortcut_conv", bias_free_conv(in, out, 1, stride));
    shortcut_bn = register_module("shortcut_bn", BatchNorm2d(out));
  }
  torch::Tensor shortcut(const torch::Tensor& x) {
    return shortcut_conv ? shortcut_bn->forward(shortcut_conv->forward(x)) : x;
  }
  Conv2d shortcut_conv{nullptr};
  BatchNorm2d shortcut_bn{nullptr};
};

struct BasicBlock : ResidualBlock {
  static constexpr int64_t kExpansion = 1;
  BasicBlock(int64_t in, int64_t planes, int64_t stride)
      : conv1(register_module("conv1", bias_free_conv(in, planes, 3, stride))),
        bn1(register_module("bn1", BatchNorm2d(planes))),
        conv2(register_module("conv2", bias_free_conv(planes, planes, 3, 1))),
        bn2(register_module("bn2", BatchNorm2d(planes))) {
    add_shortcut_if_needed(in, planes * kExpansion, stride);
  }
  torch::Tensor forward(torch::Tensor x) override {
    auto out = torch::relu(bn1->forward(conv1->forward(x)));
    out = bn2->forward(conv2->forward(out));
    return torch::relu(out + shortcut(x));
  }
  Conv2d conv1;
  BatchNorm2d bn1;
  Conv2d conv2;
  BatchNorm2d bn2;
};

struct Bottleneck : ResidualBlock {
  static constexpr int64_t kExpansion = 4;
  Bottleneck(int64_t in, int64_t planes, int64_t stride)
      : conv1(register_module("conv1", bias_free_conv(in, planes, 1, 1))),
        bn1(register_module("bn1", BatchNorm2d(planes))),
        conv2(register_module("conv2", bias_free_conv(planes, planes, 3, stride))),
        bn2(register_module("bn2", BatchNorm2d(planes))),
        conv3(register_module("conv3", bias_free_conv(planes, planes * kExpansion, 1, 1))),
        bn3(register_module("bn3", BatchNorm2d(planes * kExpansion))) {
    add_shortcut_if_needed(in, planes * kExpansion, stride);
  }
  torch::Tensor forward(torch::Tensor x) override {
    auto out = torch::relu(bn1->forward(conv1->forward(x)));
    out = torch::relu(bn2->forward(conv2->forward(out)));
    out = bn3->forward(conv3->forward(out));
    return torch::relu(out + shortcut(x));
  }
  Conv2d conv1;
  BatchNorm2d bn1;
  Conv2d conv2;
  BatchNorm2d bn2;
  Conv2d conv3;
  BatchNorm2d bn3;
};

template <typename Block>
struct ResNet : ClassifierImpl {
  ResNet(const InputShape& input, const std::vector<int64_t>& blocks_per_stage, int64_t classes)
      : conv1(register_module("conv1", bias_free_conv(input.channels, 64, 3, 1))),
        bn1(register_module("bn1", BatchNorm2d(64))) {
    const int64_t widths[] = {64, 128, 256, 512};
    int64_t in = 64;
    for (size_t stage = 0; stage < blocks_per_stage.size(); ++stage) {
      // Paths "layer<k>.<i>.conv1" as in the authors' code.
      auto list = register_module("layer" + std::to_string(stage + 1), torch::nn::ModuleList());
      for (int64_t i = 0; i < blocks_per_stage[stage]; ++i) {
        const int64_t stride = (stage > 0 && i == 0) ? 2 : 1;
        auto block = std::make_shared<Block>(in, widths[stage], stride);
        list->push_back(block);
        blocks.push_back(block);
        in = widths[stage] * Block::kExpansion;
      }
    }
    linear = register_module("linear", torch::nn::Linear(in, classes));
  }

  torch::Tensor forward(torch::Tensor x) override {
    x = torch::relu(bn1->forward(conv1->forward(x)));
    for (auto& block : blocks) x = block->forward(x);
    // The authors' avg_pool2d(4) on a 4x4 map; adaptive so that other input sizes work.
    x = global_average_pool(x);
    return linear->forward(x);
  }

  Conv2d conv1;
  BatchNorm2d bn1;
  std::vector<std::shared_ptr<Block>> blocks;
  torch::nn::Linear linear{nullptr};
};

}  // namespace

namespace model_families {

Classifier build_resnet18(const InputShape& input, int64_t classes) {
  return std::make_shared<ResNet<BasicBlock>>(input, std::vector<int64_t>{2, 2, 2, 2}, classes);
}

Classifier build_resnet50(const InputShape& input, int64_t classes) {
  return std::make_shared<ResNet<Bottleneck>>(input, std::vector<int64_t>{3, 4, 6, 3}, classes);
}

}  // namespace model_families
}  // namespace bgm
