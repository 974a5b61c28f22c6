// InputShape's text forms ("3x32x32" for tables, "C,H,W" or "F" on the command line). Torch-free.
#include <sstream>
#include <vector>

#include "core/error.h"
#include "core/input_shape.h"

namespace bgm {

std::string InputShape::to_string() const {
  if (is_points()) return std::to_string(channels);
  return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
}

InputShape parse_input_shape(const std::string& text, const std::string& what) {
  std::vector<int64_t> dims;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(part, &used);
    } catch (...) {
      used = 0;
    }
    if (used == 0 || used != part.size() || value < 1)
      throw Error(what + ": expected C,H,W or F with positive integers (e.g. 3,32,32 or 2), got '" + text + "'");
    dims.push_back(value);
  }
  if (dims.size() == 1) return InputShape{dims[0], 1, 1};
  if (dims.size() == 3) return InputShape{dims[0], dims[1], dims[2]};
  throw Error(what + ": expected C,H,W or F (e.g. 3,32,32 or 2), got '" + text + "'");
}

}  // namespace bgm
