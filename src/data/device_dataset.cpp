#include "data/device_dataset.h"

#include "core/error.h"
#include "data/raw_dataset.h"

namespace bgm {

torch::Tensor DeviceDataset::normalize(const torch::Tensor& raw) const {
  if (!image) return raw;
  return normalize_unit(raw.to(torch::kFloat32).div_(255.0));
}

torch::Tensor DeviceDataset::normalize_unit(const torch::Tensor& unit) const {
  if (!image) return unit;
  return (unit - mean) / std;
}

namespace {

DeviceSplit to_device(const RawSplit& raw, bool image, torch::Device device) {
  DeviceSplit split;
  const auto n = raw.count;
  if (image) {
    if (static_cast<int64_t>(raw.pixels.size()) != n * raw.channels * raw.height * raw.width)
      throw Error("dataset: pixel buffer does not match its shape");
    split.inputs = torch::from_blob(const_cast<uint8_t*>(raw.pixels.data()), {n, raw.channels, raw.height, raw.width},
                                    torch::kUInt8)
                       .clone();
  } else {
    split.inputs = torch::from_blob(const_cast<float*>(raw.points.data()), {n, 2}, torch::kFloat32).clone();
  }
  split.labels = torch::from_blob(const_cast<int64_t*>(raw.labels.data()), {n}, torch::kInt64).clone();
  split.inputs = split.inputs.to(device);
  split.labels = split.labels.to(device);
  return split;
}

// kRandom: the first n entries of a permutation drawn from `seed`, a fixed, seed-dependent subset; kFirst: the
// split's first n examples.
DeviceSplit take_subset(const DeviceSplit& split, int64_t n, SubsetPick pick, uint64_t seed, const std::string& what) {
  if (n == 0 || n == split.size()) return split;
  if (n > split.size())
    throw Error("dataset." + what + ": asks for " + std::to_string(n) + " examples but the split has " +
                std::to_string(split.size()));
  if (pick == SubsetPick::kFirst)  // copies, so the rest of the split is freed
    return DeviceSplit{split.inputs.slice(0, 0, n).clone(), split.labels.slice(0, 0, n).clone()};
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  auto index = torch::randperm(split.size(), gen, torch::kInt64).slice(0, 0, n).to(split.labels.device());
  return DeviceSplit{split.inputs.index_select(0, index), split.labels.index_select(0, index)};
}

}  // namespace

DeviceDataset load_device_dataset(const JobSpec& job, torch::Device device) {
  const RawDataset raw = load_raw_dataset(job.dataset, job.seed);
  DeviceDataset d;
  d.name = raw.name;
  d.subset = raw.subset;
  d.classes = raw.classes;
  d.image = !raw.train.pixels.empty() || raw.train.points.empty();
  d.device = device;
  d.shape = InputShape{raw.train.channels, raw.train.height, raw.train.width};
  const SubsetPick pick = job.dataset.subset_pick;
  d.train = take_subset(to_device(raw.train, d.image, device), job.dataset.train_subset, pick,
                        static_cast<uint64_t>(job.seed) * 2 + 1, "train_subset");
  d.test = take_subset(to_device(raw.test, d.image, device), job.dataset.test_subset, pick,
                       static_cast<uint64_t>(job.seed) * 2 + 2, "test_subset");
  if (d.image) {
    const auto c = raw.train.channels;
    std::vector<float> mean = raw.mean, std = raw.std;
    if (static_cast<int64_t>(mean.size()) != c || static_cast<int64_t>(std.size()) != c)
      throw Error("dataset " + raw.name + ": normalization constants do not match its " + std::to_string(c) + " channels");
    d.mean = torch::tensor(mean).view({1, c, 1, 1}).to(device);
    d.std = torch::tensor(std).view({1, c, 1, 1}).to(device);
  }
  return d;
}

DeviceDataset synthetic_device_dataset(const std::string& name, int64_t train, int64_t test, int64_t classes,
                                       InputShape shape, torch::Device device) {
  DeviceDataset d;
  d.name = name + " (synthetic)";
  d.classes = classes;
  d.image = true;
  d.shape = shape;
  d.device = device;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(12345);
  auto make = [&](int64_t n) {
    return DeviceSplit{torch::randint(0, 256, {n, shape.channels, shape.height, shape.width}, gen, torch::kUInt8).to(device),
                       torch::randint(0, classes, {n}, gen, torch::kInt64).to(device)};
  };
  d.train = make(train);
  d.test = make(test);
  d.mean = torch::full({1, shape.channels, 1, 1}, 0.5f).to(device);
  d.std = torch::full({1, shape.channels, 1, 1}, 0.25f).to(device);
  return d;
}

}  // namespace bgm
