// Constructors of the model families (one .cpp each), used only by the registry (registry.cpp).
#pragma once
#include "models/classifier.h"

namespace bgm {
namespace model_families {

Classifier build_toy_mlp(const InputShape& input, int64_t classes, int64_t width);
Classifier build_mlp(const InputShape& input, int64_t classes, int64_t width);
Classifier build_vgg16(const InputShape& input, int64_t classes);
Classifier build_resnet18(const InputShape& input, int64_t classes);
Classifier build_resnet50(const InputShape& input, int64_t classes);
Classifier build_densenet40(const InputShape& input, int64_t classes);

// DenseNet3's own init loop in the authors' code, which overrides the framework defaults.
void apply_densenet_authors_init(torch::nn::Module& model);

}  // namespace model_families
}  // namespace bgm
