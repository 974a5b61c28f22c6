// The shape of one input: an image (channels x height x width) or a flat feature vector (the toy's 2-D points,
// stored as {F, 1, 1}). Torch-free: datasets, models and the command line share it.
#pragma once
#include <cstdint>
#include <string>

namespace bgm {

struct InputShape {
  int64_t channels = 3, height = 32, width = 32;  // toy: {2, 1, 1}
  int64_t features() const { return channels * height * width; }
  bool is_points() const { return height == 1 && width == 1; }  // a flat feature vector, not an image
  std::string to_string() const;                                // "3x32x32", or "2" for points
};

// "C,H,W" (an image) or "F" (F features, stored as {F, 1, 1}). `what` names the flag or key in errors.
InputShape parse_input_shape(const std::string& text, const std::string& what);

}  // namespace bgm
