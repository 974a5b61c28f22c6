#include "core/model_facts.h"

#include "core/error.h"

namespace bgm {

const std::vector<ModelFacts>& model_facts() {
  // Activation memory: a conv-BN-ReLU keeps about two activations of its output size (conv input, BN input);
  // summed over the CIFAR variants' layers: ResNet18 ~1.1M floats an image, VGG16 ~0.55M, ResNet50 ~5M,
  // DenseNet40 (memory-hungry concatenations) ~5M; rounded up by ~30% for cuDNN workspaces and temporaries.
  static const std::vector<ModelFacts> table = {
      {"toy-mlp", "Fig. 1 toy MLP: 2-100-100-classes, ReLU (width overrides 100)", false, true, {2, 1, 1}, 100000, 0.01},
      {"mlp", "MLP features-W-W-classes, ReLU, W = 256 (width overrides)", true, true, {1, 28, 28}, 100000, 0.02},
      {"vgg16", "VGG16, CIFAR variant: 13 conv(bias)+BN, one Linear(512, classes)", true, false, {3, 32, 32}, 6000, 3},
      {"resnet18", "ResNet18, CIFAR variant: BasicBlock [2,2,2,2]", true, false, {3, 32, 32}, 4000, 6},
      {"resnet50", "ResNet50, CIFAR variant: Bottleneck [3,4,6,3]", true, false, {3, 32, 32}, 1200, 26},
      {"densenet40", "DenseNet-BC-40: k=12, reduction 0.5, bottleneck, no dropout", true, false, {3, 32, 32}, 2000, 26},
  };
  return table;
}

std::string model_names() {
  std::string names;
  for (const auto& m : model_facts()) names += (names.empty() ? "" : ", ") + m.name;
  return names;
}

const ModelFacts& model_facts_of(const std::string& name) {
  for (const auto& m : model_facts())
    if (m.name == name) return m;
  throw Error("model.name: unknown model '" + name + "'; expected one of " + model_names());
}

}  // namespace bgm
