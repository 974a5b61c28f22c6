// What an SGD stage trains on, as whole-batch tensor ops on the device:
// - TrueLabelSource: the training split, optionally augmented (crop with zero padding + flip for
//   images; Gaussian-noise replicas for the toy), as the paper's DA;
// - RandomLabelSource: Algorithm 1's set C of R zeroed-out, randomly labelled replicas per image.
// Every random choice is a pure function of (seed, stage, epoch) or (label seed, image, replica), so a
// resumed job redraws exactly what it would have drawn. C is stored once as uint8 on the device where it fits
// the job's budget (`alg1_memory_mb`), and otherwise generated from the hash for each batch: the same bits.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include <torch/torch.h>

#include "core/job_spec.h"
#include "data/device_dataset.h"

namespace bgm {

struct Batch {
  torch::Tensor inputs;  // normalized float, on the device
  torch::Tensor labels;  // int64
};

// One epoch's draws: the visiting order and the augmentation parameters of every position.
struct EpochPlan {
  torch::Tensor order;   // int64 [size] on the device
  torch::Tensor shifts;  // int64 [size, 2] crop offsets (images, augment on)
  torch::Tensor flips;   // bool [size]
  torch::Tensor noise;   // float [size, 2] (toy, augment on)
};

class BatchSource {
 public:
  virtual ~BatchSource() = default;
  virtual int64_t size() const = 0;  // examples per epoch
  virtual EpochPlan plan_epoch(uint64_t seed, int64_t epoch) const = 0;
  // `positions`: int64 positions in the epoch (slices of plan.order's index space).
  virtual Batch batch(const EpochPlan& plan, const torch::Tensor& positions) const = 0;
};

std::unique_ptr<BatchSource> make_true_label_source(const DeviceDataset& data, const DeviceSplit& split, bool augment,
                                                    const AugmentSpec& spec);
// `memory_bytes`: C (n x R images, uint8) is stored when it fits in this many bytes; 0 = always generated.
std::unique_ptr<BatchSource> make_random_label_source(const DeviceDataset& data, const AdversarialSpec& spec,
                                                      int64_t memory_bytes = 0);
// Whether a source made by make_random_label_source stores C ("stored") or generates it ("generated").
std::string random_label_set_storage(const BatchSource& source);

// A 64-bit seed for a named stream (e.g. "train", "adversarial") of a job seed and epoch.
uint64_t stream_seed(uint64_t seed, const std::string& stream, int64_t epoch);

}  // namespace bgm
