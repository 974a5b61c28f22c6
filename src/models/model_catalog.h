// The torch-free face of the model registry: input shapes, the list of models, and parameter counts.
// Lets `bgm models` and other light files ask about models without compiling <torch/torch.h>.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/job_spec.h"

namespace bgm {

struct InputShape {
  int64_t channels = 3, height = 32, width = 32;  // toy: {2, 1, 1}
  int64_t features() const { return channels * height * width; }
  bool is_points() const { return height == 1 && width == 1; }  // a flat feature vector, not an image
  std::string to_string() const;                                // "3x32x32", or "2" for points
};

// "C,H,W" (an image) or "F" (F features, stored as {F, 1, 1}). `what` names the flag or key in errors.
InputShape parse_input_shape(const std::string& text, const std::string& what);

struct ModelInfo {
  std::string name;
  std::string description;
  bool takes_images = true;          // CNNs and mlp; toy-mlp takes 2-D points
  bool takes_points = false;         // toy-mlp and mlp
  InputShape typical_input;          // what the paper feeds it
};
const std::vector<ModelInfo>& model_catalog();

// Builds the model once and counts its parameters (not buffers). Leaves the global torch RNG as it was.
int64_t model_parameter_count(const ModelSpec& spec, const InputShape& input, int64_t classes);

}  // namespace bgm
