#include "core/model_facts.h"

namespace bgm {

const std::vector<ModelFacts>& model_facts() {
  // Activation memory: a conv-BN-ReLU keeps about two activations of its output size (conv input, BN input);
  // summed over the CIFAR variants' layers: ResNet18 ~1.1M floats an image, VGG16 ~0.55M, ResNet50 ~5M,
  // DenseNet40 (memory-hungry concatenations) ~5M; rounded up by ~30% for cuDNN workspaces and temporaries.
  static const std::vector<ModelFacts> table = {
      {"vgg16", 6000, 3, true},
      {"resnet18", 4000, 6, true},
      {"resnet50", 1200, 26, true},
      {"densenet40", 2000, 26, true},
      {"mlp", 100000, 0.02, false},
      {"toy-mlp", 100000, 0.01, false},
  };
  return table;
}

const ModelFacts& find_model_facts(const std::string& name) {
  for (const auto& m : model_facts())
    if (m.name == name) return m;
  return model_facts()[4];
}

}  // namespace bgm
