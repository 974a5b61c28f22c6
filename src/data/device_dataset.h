// A dataset resident on the training device: each split is one uint8 [N,C,H,W] tensor (or float [N,2]
// toy points) plus int64 labels, loaded once; batches are index gathers, never per-sample copies.
#pragma once
#include <string>

#include <torch/torch.h>

#include "core/input_shape.h"
#include "core/job_spec.h"

namespace bgm {

struct DeviceSplit {
  torch::Tensor inputs;  // uint8 [N,C,H,W] images, or float [N,2] points
  torch::Tensor labels;  // int64 [N]
  int64_t size() const { return labels.size(0); }
};

struct DeviceDataset {
  std::string name;
  std::string subset;  // which images a subsampled pack kept (RawDataset::subset); "" = the whole dataset
  int64_t classes = 0;
  bool image = true;
  InputShape shape;
  DeviceSplit train, test;
  torch::Tensor mean, std;  // float [1,C,1,1] on the device (images)
  torch::Device device = torch::kCPU;

  // uint8 pixels -> normalized float; toy points pass through.
  torch::Tensor normalize(const torch::Tensor& raw) const;
  // [0,1] float pixels -> normalized float (FGSM works in pixel space).
  torch::Tensor normalize_unit(const torch::Tensor& unit) const;
};

// Loads the job's dataset, takes the seeded subsets (the first n of a permutation seeded by the job
// seed, as in ../shared/small-scale.md) and moves it to `device`.
DeviceDataset load_device_dataset(const JobSpec& job, torch::Device device);

// Synthetic data of a dataset's shape (for `bgm bench` when the files are absent).
DeviceDataset synthetic_device_dataset(const std::string& name, int64_t train, int64_t test, int64_t classes,
                                       InputShape shape, torch::Device device);

}  // namespace bgm
