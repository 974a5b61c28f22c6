// Datasets as the files give them, before torch: uint8 NCHW images (or float 2-D points) and labels.
// Readers check sizes and formats and name the file and what was expected in every error.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/job_spec.h"

namespace bgm {

struct RawSplit {
  int64_t count = 0;
  int64_t channels = 0, height = 0, width = 0;  // images: e.g. 3x32x32; toy: 2x1x1 with `points` used
  std::vector<uint8_t> pixels;                  // count*C*H*W, NCHW, images only
  std::vector<float> points;                    // count*2, toy only
  std::vector<int64_t> labels;                  // count, in [0, classes)
};

struct RawDataset {
  std::string name;
  std::string subset;  // packs only: which images a subsampled pack kept ("" = the whole dataset)
  int64_t classes = 0;
  RawSplit train, test;
  // Per-channel normalization applied on the device after /255 (images only).
  std::vector<float> mean, std;
};

// An empty dataset as its row in core/dataset_facts.cpp describes it: name, classes and normalization (empty where
// the reader computes it or there is none). Readers start from it so each fact stays in the table.
RawDataset raw_dataset_from_facts(const std::string& name);

// Loads the dataset a job names (whole splits; subsetting happens on the tensor side).
RawDataset load_raw_dataset(const DatasetSpec& spec, int64_t seed);

}  // namespace bgm
