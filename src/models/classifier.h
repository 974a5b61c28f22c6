// The interface every model implements, and the registry that builds one from a job's ModelSpec.
// Inputs are normalized float batches: [B, C, H, W] for images, [B, 2] for the toy points.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/job_spec.h"

namespace bgm {

struct ClassifierImpl : torch::nn::Module {
  virtual torch::Tensor forward(torch::Tensor x) = 0;
};
using Classifier = std::shared_ptr<ClassifierImpl>;

struct InputShape {
  int64_t channels = 3, height = 32, width = 32;  // toy: {2, 1, 1}
  int64_t features() const { return channels * height * width; }
};

// Builds the model with the current global torch RNG state (seed it first: W0 is a function of the seed).
Classifier make_model(const ModelSpec& spec, const InputShape& input, int64_t classes);

struct ModelInfo {
  std::string name;
  std::string description;
};
const std::vector<ModelInfo>& model_catalog();
int64_t count_parameters(const torch::nn::Module& module);

}  // namespace bgm
