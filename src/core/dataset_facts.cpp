#include "core/dataset_facts.h"

#include <algorithm>

namespace bgm {

const std::vector<DatasetFacts>& dataset_facts() {
  // The toy's split sizes come from its job keys (toy_points_per_class); 100/1000 are the defaults.
  static const std::vector<DatasetFacts> table = {
      {"cifar10", 50000, 10000, 3, 32, 32, 10},
      {"cifar100", 50000, 10000, 3, 32, 32, 100},
      {"cinic10", 90000, 90000, 3, 32, 32, 10},
      {"restricted-imagenet", 123000, 4800, 3, 32, 32, 9},
      {"fashion-mnist", 60000, 10000, 1, 28, 28, 10},
      {"toy-gaussians", 100, 1000, 2, 1, 1, 2},
  };
  return table;
}

std::string dataset_names() {
  std::string names;
  for (const auto& d : dataset_facts()) names += (names.empty() ? "" : ", ") + d.name;
  return names;
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

const DatasetFacts* find_dataset_facts(const std::string& name) {
  for (const auto& d : dataset_facts())
    if (d.name == name) return &d;
  return nullptr;
}

}  // namespace bgm
