// Per-model cost facts for planning (torch-free): assumed training speed on one A100-class GPU for the cost
// model (README "Cost model"; `bgm list --calibration` replaces it with measured figures) and the activation
// memory a training step keeps per image, for packing several jobs on one GPU (job_footprint.h).
#pragma once
#include <string>
#include <vector>

namespace bgm {

struct ModelFacts {
  std::string name;
  double train_images_per_s;     // batch 128, fp32, 32x32x3 inputs, PyTorch-speed loop on an A100-class GPU
  double activation_mb_per_image;  // fp32 tensors saved for backward at 32x32 (counted from the layers, rounded up)
  bool convolutional;              // cost scales with the input's pixels
};

const std::vector<ModelFacts>& model_facts();
// The row of `name`; unknown names get the MLP row (tiny, bound by per-step overhead).
const ModelFacts& find_model_facts(const std::string& name);

}  // namespace bgm
