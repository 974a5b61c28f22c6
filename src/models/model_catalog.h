// The torch-free face of the model registry: the list of models (core/model_facts.h) and parameter counts.
// Lets `bgm models` and other light files ask about models without compiling <torch/torch.h>.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/input_shape.h"
#include "core/model_facts.h"
#include "core/job_spec.h"

namespace bgm {

// The models are the rows of core/model_facts.h (model_facts()).

// Builds the model once and counts its parameters (not buffers). Leaves the global torch RNG as it was.
int64_t model_parameter_count(const ModelSpec& spec, const InputShape& input, int64_t classes);

}  // namespace bgm
