// VGG16 as in kuangliu/pytorch-cifar (the authors' copy): 13 conv3x3 (with bias) + BN + ReLU, five 2x2 max-pools,
// and one Linear(512, classes); no FC-4096 layers. 14,728,266 parameters for 10 classes.
#include "models/model_families.h"
#include "models/pooling.h"

namespace bgm {
namespace {

// Output channels of each stage's convs; a 2x2 max-pool ends each stage.
const std::vector<std::vector<int64_t>> kVgg16Stages = {
    {64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};

struct Vgg16 : ClassifierImpl {
  Vgg16(const InputShape& input, int64_t classes) {
    int64_t in_channels = input.channels;
    for (size_t stage = 0; stage < kVgg16Stages.size(); ++stage) {
      std::vector<ConvBn> layers;
      for (size_t i = 0; i < kVgg16Stages[stage].size(); ++i) {
        const int64_t out_channels = kVgg16Stages[stage][i];
        const std::string suffix = std::to_string(stage + 1) + "_" + std::to_string(i + 1);  // conv3_2, bn3_2
        ConvBn layer{
            register_module("conv" + suffix,
                            torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, 3).padding(1))),
            register_module("bn" + suffix, torch::nn::BatchNorm2d(out_channels))};
        layers.push_back(layer);
        in_channels = out_channels;
      }
      stages.push_back(layers);
    }
    classifier = register_module("classifier", torch::nn::Linear(in_channels, classes));
  }

  torch::Tensor forward(torch::Tensor x) override {
    for (auto& stage : stages) {
      for (auto& layer : stage) x = torch::relu(layer.bn->forward(layer.conv->forward(x)));
      // ceil_mode keeps 32x32 exactly as the authors' (all sizes even) and lets 28x28 reach 1x1 instead of 0x0.
      x = torch::max_pool2d(x, {2, 2}, {2, 2}, {0, 0}, {1, 1}, /*ceil_mode=*/true);
    }
    // The authors' AvgPool(1,1) on a 1x1 map; adaptive so that larger inputs still give 512 features.
    x = global_average_pool(x);
    return classifier->forward(x);
  }

  struct ConvBn {
    torch::nn::Conv2d conv;
    torch::nn::BatchNorm2d bn;
  };
  std::vector<std::vector<ConvBn>> stages;
  torch::nn::Linear classifier{nullptr};
};

}  // namespace

namespace model_families {

Classifier build_vgg16(const InputShape& input, int64_t classes) { return std::make_shared<Vgg16>(input, classes); }

}  // namespace model_families
}  // namespace bgm
