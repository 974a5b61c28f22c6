// The toy data set of Fig. 1: two isotropic 2-D Gaussians, generated from the job seed rather than read.
#pragma once
#include <cstdint>

#include "data/raw_dataset.h"

namespace bgm {

// Class 0 ~ N((-center, 0) + offset, std^2 I), class 1 ~ N((+center, 0) + offset, std^2 I); points_per_class of each, class 0
// first. The test split comes from a different random stream than the train split, and both are the same on
// every platform (std::mt19937_64 is fully specified; the normal draws are our own Box-Muller).
RawDataset make_toy_gaussians(const DatasetSpec& spec, int64_t seed);

}  // namespace bgm
