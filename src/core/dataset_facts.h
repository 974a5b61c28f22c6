// One row per dataset: split sizes as the paper states them, image shape and class count. Read by the cost
// model (manifest.cpp) and the memory footprint that `bgm sweep --jobs-per-gpu` packs by (job_footprint.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/job_spec.h"

namespace bgm {

struct DatasetFacts {
  std::string name;
  int64_t train, test;              // split sizes (Restricted ImageNet: the paper's ~123k / 4.8k at 32x32)
  int64_t channels, height, width;  // stored image shape; the toy's 2-D points are {2, 1, 1}
  int64_t classes;
  bool points() const { return height == 1 && width == 1; }
  int64_t features() const { return channels * height * width; }
};

const std::vector<DatasetFacts>& dataset_facts();
const DatasetFacts* find_dataset_facts(const std::string& name);  // nullptr when unknown
std::string dataset_names();  // "cifar10, cifar100, ...", for error messages

// What one job trains and tests on, for planning: split sizes after train_subset/test_subset (the toy's from its
// keys), values per example, pixels per image (0 for points), and whether examples are 2-D points (float).
struct JobDataSize {
  int64_t train = 0, test = 0, features = 2, pixels = 0;
  bool points = true;
};
JobDataSize job_data_size(const JobSpec& job);

}  // namespace bgm
