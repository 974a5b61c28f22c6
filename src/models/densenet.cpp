// DenseNet-BC-40 (k=12, reduction 0.5, bottleneck, no dropout): the authors' DenseNet3(depth=40, ...).
// Three dense blocks of 6 bottleneck layers, channels 24 -> 96 -> 48 -> 120 -> 60 -> 132; 176,122 parameters.
// Pre-activation (BN-ReLU-conv): its BNs are named "norm..." and never fold into a conv (see classifier.h).
#include <cmath>

#include "models/model_families.h"
#include "models/pooling.h"

namespace bgm {
namespace {

using torch::nn::BatchNorm2d;
using torch::nn::Conv2d;
using torch::nn::Conv2dOptions;

constexpr int64_t kGrowth = 12;
constexpr int64_t kLayersPerBlock = 6;  // (depth 40 - 4) / 3 / 2 with bottlenecks
constexpr double kReduction = 0.5;

Conv2d bias_free_conv(int64_t in, int64_t out, int64_t kernel) {
  return Conv2d(Conv2dOptions(in, out, kernel).padding(kernel / 2).bias(false));
}

// BN-ReLU-conv1x1 to 4k, BN-ReLU-conv3x3 to k, concatenated onto the input.
struct BottleneckLayer : torch::nn::Module {
  explicit BottleneckLayer(int64_t in)
      : norm1(register_module("norm1", BatchNorm2d(in))),
        conv1(register_module("conv1", bias_free_conv(in, 4 * kGrowth, 1))),
        norm2(register_module("norm2", BatchNorm2d(4 * kGrowth))),
        conv2(register_module("conv2", bias_free_conv(4 * kGrowth, kGrowth, 3))) {}
  torch::Tensor forward(const torch::Tensor& x) {
    auto out = conv1->forward(torch::relu(norm1->forward(x)));
    out = conv2->forward(torch::relu(norm2->forward(out)));
    return torch::cat({x, out}, 1);
  }
  BatchNorm2d norm1;
  Conv2d conv1;
  BatchNorm2d norm2;
  Conv2d conv2;
};

// BN-ReLU-conv1x1 (channels x 0.5, floored as the authors' int(math.floor(...))), then 2x2 average pool.
struct Transition : torch::nn::Module {
  Transition(int64_t in, int64_t out)
      : norm(register_module("norm", BatchNorm2d(in))), conv(register_module("conv", bias_free_conv(in, out, 1))) {}
  torch::Tensor forward(const torch::Tensor& x) {
    return average_pool2d(conv->forward(torch::relu(norm->forward(x))), 2);
  }
  BatchNorm2d norm;
  Conv2d conv;
};

struct DenseNet40 : ClassifierImpl {
  DenseNet40(const InputShape& input, int64_t classes)
      : conv1(register_module("conv1", bias_free_conv(input.channels, 2 * kGrowth, 3))) {
    int64_t channels = 2 * kGrowth;
    for (int block = 1; block <= 3; ++block) {
      auto list = register_module("block" + std::to_string(block), torch::nn::ModuleList());
      std::vector<std::shared_ptr<BottleneckLayer>> layers;
      for (int64_t i = 0; i < kLayersPerBlock; ++i) {
        layers.push_back(std::make_shared<BottleneckLayer>(channels));
        list->push_back(layers.back());
        channels += kGrowth;
      }
      blocks.push_back(layers);
      if (block < 3) {
        const auto reduced = static_cast<int64_t>(std::floor(channels * kReduction));
        transitions.push_back(
            register_module("trans" + std::to_string(block), std::make_shared<Transition>(channels, reduced)));
        channels = reduced;
      }
    }
    norm_final = register_module("norm_final", BatchNorm2d(channels));
    fc = register_module("fc", torch::nn::Linear(channels, classes));
  }

  torch::Tensor forward(torch::Tensor x) override {
    x = conv1->forward(x);
    for (size_t block = 0; block < blocks.size(); ++block) {
      for (auto& layer : blocks[block]) x = layer->forward(x);
      if (block < transitions.size()) x = transitions[block]->forward(x);
    }
    x = torch::relu(norm_final->forward(x));
    // The authors' avg_pool2d(8) on an 8x8 map; adaptive so that other input sizes work.
    x = global_average_pool(x);
    return fc->forward(x);
  }

  Conv2d conv1;
  std::vector<std::vector<std::shared_ptr<BottleneckLayer>>> blocks;
  std::vector<std::shared_ptr<Transition>> transitions;
  BatchNorm2d norm_final{nullptr};
  torch::nn::Linear fc{nullptr};
};

}  // namespace

namespace model_families {

Classifier build_densenet40(const InputShape& input, int64_t classes) {
  return std::make_shared<DenseNet40>(input, classes);
}

// DenseNet3.__init__'s loop: conv ~ N(0, sqrt(2 / (k*k*out_channels))), BN gamma 1 beta 0, linear bias 0;
// the linear weight keeps the framework default.
void apply_densenet_authors_init(torch::nn::Module& model) {
  torch::NoGradGuard no_grad;
  for (const auto& module : model.modules(/*include_self=*/false)) {
    if (auto* conv = module->as<torch::nn::Conv2dImpl>()) {
      const auto& k = conv->options.kernel_size();
      const double fan_out = static_cast<double>((*k)[0] * (*k)[1] * conv->options.out_channels());
      conv->weight.normal_(0.0, std::sqrt(2.0 / fan_out));
    } else if (auto* bn = module->as<torch::nn::BatchNorm2dImpl>()) {
      bn->weight.fill_(1.0);
      bn->bias.zero_();
    } else if (auto* linear = module->as<torch::nn::LinearImpl>()) {
      linear->bias.zero_();
    }
  }
}

}  // namespace model_families
}  // namespace bgm
