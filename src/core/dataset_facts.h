// One row per dataset, everything the suite knows about it: split sizes as the paper states them, image shape,
// classes, normalization, its reader and default location, and its training defaults (Sec. 3; small-scale.md for
// Fashion-MNIST and the toy). Read by the job parser, the loaders, the cost model, the memory footprint that
// `bgm sweep --jobs-per-gpu` packs by, `bgm bench`'s synthetic data and the error messages (README "Adding a
// dataset").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/job_spec.h"

namespace bgm {

// Which reader of src/data/formats/ loads the dataset (data/formats/load_raw_dataset.cpp).
enum class DatasetReader { kCifar10Binary, kCifar100Binary, kFashionMnistIdx, kBgmpack, kToyGaussians };

struct DatasetFacts {
  std::string name;
  int64_t train, test;              // split sizes (Restricted ImageNet: the paper's ~123k / 4.8k at 32x32)
  int64_t channels, height, width;  // stored image shape; the toy's 2-D points are {2, 1, 1}
  int64_t classes;
  // Per-channel normalization of [0,1] pixels; empty: the reader computes it from the training split (Restricted
  // ImageNet, at `bgm prepare`) or there is none (the toy's points).
  std::vector<float> mean, std;
  DatasetReader reader;
  std::string root_subdir;          // under $BGM_DATA (default "data") unless absolute_root is set
  std::string absolute_root;        // fixed default root (Debian's Fashion-MNIST)
  // Training defaults.
  std::string schedule;             // schedule preset (core/job_presets.h)
  int64_t replicas;                 // Algorithm 1's R
  double zero_fraction;             // and N
  SgdSpec adversarial;              // Algorithm 1's vanilla SGD, until 100% on C
  AugmentSpec augment;              // what "augment" means for it
  std::string how_to_get;           // the command that gets it, for errors about missing data ("" for generated data)

  bool points() const { return height == 1 && width == 1; }
  bool image() const { return !points(); }
  int64_t features() const { return channels * height * width; }
};

const std::vector<DatasetFacts>& dataset_facts();
const DatasetFacts* find_dataset_facts(const std::string& name);  // nullptr when unknown
const DatasetFacts& dataset_facts_of(const std::string& name);    // throws bgm::Error naming dataset.name
std::vector<std::string> dataset_name_list();  // in table order
std::string dataset_names();                   // "cifar10, cifar100, ...", for error messages

// $BGM_DATA, else "data": where datasets live (bgm fetch and bgm prepare write there).
std::string data_root();
// Where a job looks for the dataset unless dataset.root says otherwise ("" for generated data).
std::string default_data_root(const DatasetFacts& d);

// What one job trains and tests on, for planning: split sizes after train_subset/test_subset (the toy's from its
// keys), values per example, pixels per image (0 for points), and whether examples are 2-D points (float).
struct JobDataSize {
  int64_t train = 0, test = 0, features = 2, pixels = 0;
  bool points = true;
};
JobDataSize job_data_size(const JobSpec& job);

}  // namespace bgm
