// The one table of models (torch-free): what each takes, its description, the input the paper feeds it, and its
// cost facts for planning: assumed training speed on one A100-class GPU for the cost model (README "Cost model";
// `bgm list --calibration` replaces it with measured figures) and the activation memory a training step keeps
// per image, for packing several jobs on one GPU (job_footprint.h). Adding a model: its family file in
// src/models/, one row here, one line in models/registry.cpp's builder (README "Adding a model").
#pragma once
#include <string>
#include <vector>

#include "core/input_shape.h"

namespace bgm {

struct ModelFacts {
  std::string name;
  std::string description;
  bool takes_images;               // CNNs and mlp
  bool fully_connected;            // mlp, toy-mlp: take a width, take 2-D points, may use the lean CPU step
  InputShape typical_input;        // what the paper feeds it
  double train_images_per_s;       // batch 128, fp32, 32x32x3 inputs, PyTorch-speed loop on an A100-class GPU
  double activation_mb_per_image;  // fp32 tensors saved for backward at 32x32 (counted from the layers, rounded up)
  bool convolutional() const { return !fully_connected; }  // cost scales with the input's pixels
};

const std::vector<ModelFacts>& model_facts();
// The row of `name`; throws bgm::Error naming the known models when there is none.
const ModelFacts& model_facts_of(const std::string& name);
std::string model_names();  // "toy-mlp, mlp, ...", for error messages

}  // namespace bgm
