#include "core/dataset_facts.h"

#include <algorithm>
#include <cstdlib>

#include "core/error.h"
#include "core/job_presets.h"

namespace bgm {

namespace {

// What "augment" means: RandomCrop(size, padding) + horizontal flip for images, as the authors; for the toy, noisy
// copies of each point (paper footnote 1). Every row carries the toy's noise keys too: the resolved job records
// them all, and job ids are hashes of it.
AugmentSpec augmentation(int64_t crop_padding, bool flip) {
  AugmentSpec a;
  a.crop_padding = crop_padding;
  a.flip = flip;
  a.noise_copies = kToyPaper.noise_copies;
  a.noise_std = kToyPaper.noise_std;
  return a;
}

// Algorithm 1's pretraining: vanilla SGD with the dataset's schedule until 100% on C, checked every epoch (paper).
SgdSpec until_memorized(const SgdSpec& schedule) { return until_train_accuracy(schedule, 100.0); }

}  // namespace

const std::vector<DatasetFacts>& dataset_facts() {
  using R = DatasetReader;
  const SgdSpec cifar = find_schedule("cifar")->sgd, long_schedule = find_schedule("cinic10")->sgd;
  // Fashion-MNIST and the toy: small-scale.md's settings where Algorithm 1 memorizes C on a CPU.
  const SgdSpec fmnist = sgd_schedule(300, 64, 0.05, {}), toy = find_schedule("toy")->sgd;
  static const std::vector<DatasetFacts> table = {
      // The authors' normalization constants (reference-implementation.md, section 3).
      {"cifar10", 50000, 10000, 3, 32, 32, 10, {0.4914f, 0.4822f, 0.4465f}, {0.2023f, 0.1994f, 0.2010f},
       R::kCifar10Binary, "cifar-10-batches-bin", "", "cifar", 10, 0.1, until_memorized(cifar), augmentation(4, true),
       "`bgm fetch cifar10`"},
      // No constants in the authors' code for CIFAR-100; these are the commonly used training-set statistics.
      {"cifar100", 50000, 10000, 3, 32, 32, 100, {0.5071f, 0.4865f, 0.4409f}, {0.2673f, 0.2564f, 0.2762f},
       R::kCifar100Binary, "cifar-100-binary", "", "cifar", 10, 0.1, until_memorized(cifar), augmentation(4, true),
       "`bgm fetch cifar100`"},
      // The CINIC-10 README's statistics (the paper gives none): a suite choice, see reference-implementation.md.
      {"cinic10", 90000, 90000, 3, 32, 32, 10, {0.47889522f, 0.47227842f, 0.43047404f},
       {0.24205776f, 0.23828046f, 0.25874835f}, R::kBgmpack, "cinic10.bgmpack", "", "cinic10", 10, 0.1,
       until_memorized(long_schedule), augmentation(4, true),
       "`bgm fetch cinic10`, or `bgm prepare cinic10 --src DIR` from an unpacked copy"},
      {"restricted-imagenet", 123000, 4800, 3, 32, 32, 9, {}, {}, R::kBgmpack, "restricted-imagenet.bgmpack", "",
       "restricted-imagenet", 10, 0.1, until_memorized(long_schedule), augmentation(4, true),
       "`bgm prepare restricted-imagenet --src DIR --paper-size` from ImageNet (`bgm fetch restricted-imagenet` "
       "says where to get it)"},
      // Plain [0,1] pixels (small-scale.md, section 2); 28x28, so padding 2.
      {"fashion-mnist", 60000, 10000, 1, 28, 28, 10, {0.0f}, {1.0f}, R::kFashionMnistIdx, "",
       "/usr/share/datasets/fashion-mnist", "fashion-mnist", 20, 0.1, until_memorized(fmnist), augmentation(2, true),
       "`apt-get install dataset-fashion-mnist`"},
      // Split sizes from the job's keys (toy_points_per_class; 100/1000 by default). The random-label stage (Fig. 1b)
      // relabels the 100 points once: R = 1, nothing zeroed.
      {"toy-gaussians", 100, 1000, 2, 1, 1, 2, {}, {}, R::kToyGaussians, "", "", "toy", 1, 0.0,
       until_memorized(toy), augmentation(0, false), ""},
  };
  return table;
}

const DatasetFacts* find_dataset_facts(const std::string& name) {
  for (const auto& d : dataset_facts())
    if (d.name == name) return &d;
  return nullptr;
}

const DatasetFacts& dataset_facts_of(const std::string& name) {
  if (const DatasetFacts* d = find_dataset_facts(name)) return *d;
  throw Error("dataset.name: unknown dataset '" + name + "'; expected one of " + dataset_names());
}

std::vector<std::string> dataset_name_list() {
  std::vector<std::string> names;
  for (const auto& d : dataset_facts()) names.push_back(d.name);
  return names;
}

std::string dataset_names() {
  std::string names;
  for (const auto& name : dataset_name_list()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

std::string data_root() {
  const char* env = std::getenv("BGM_DATA");
  return (env && *env) ? env : "data";
}

std::string default_data_root(const DatasetFacts& d) {
  if (!d.absolute_root.empty()) return d.absolute_root;
  if (d.root_subdir.empty()) return "";
  return data_root() + "/" + d.root_subdir;
}

JobDataSize job_data_size(const JobSpec& job) {
  JobDataSize d;
  d.train = 2 * job.dataset.toy_points_per_class;
  d.test = 2 * job.dataset.toy_test_points_per_class;
  const DatasetFacts* facts = find_dataset_facts(job.dataset.name);
  if (facts && !facts->points()) {
    d.train = facts->train, d.test = facts->test, d.features = facts->features();
    d.pixels = facts->height * facts->width, d.points = false;
  }
  if (job.dataset.train_subset > 0) d.train = std::min(d.train, job.dataset.train_subset);
  if (job.dataset.test_subset > 0) d.test = std::min(d.test, job.dataset.test_subset);
  return d;
}

}  // namespace bgm
