// Fashion-MNIST from its official IDX files, gzipped (as distributed) or unpacked.
#pragma once
#include <string>

#include "data/raw_dataset.h"

namespace bgm {

// ROOT holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
// t10k-labels-idx1-ubyte, each optionally with a .gz suffix. Images are 1x28x28 uint8.
RawDataset read_fashion_mnist(const std::string& root);

// One IDX image/label file pair into a split (exposed for tests of single files).
void read_idx_split(const std::string& images_path, const std::string& labels_path, int64_t classes, RawSplit& split);

}  // namespace bgm
