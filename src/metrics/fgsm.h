// FGSM robustness of the final model (paper section 3.7, Fig. 6): test accuracy under a sweep of attack sizes.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include <boost/json/object.hpp>
#include <torch/torch.h>

#include "models/classifier.h"

namespace bgm {

// The attack works in [0,1] pixel space, before normalization: x = u8 / 255,
// x' = clamp(x + eps * sign(grad_x CE(f((x - mean) / std), y)), 0, 1), with the model in eval mode and y the true label.
// One gradient per batch serves every eps. eps = 0 takes the same path, so x' == x bit for bit and its accuracy is
// the clean accuracy of f((u8/255 - mean)/std) at this batch size (DeviceDataset::normalize computes the same).
// images_u8: uint8 [N,C,H,W] on the model's device; labels: int64 [N]; mean, std: [C] or [1,C,1,1] floats.
// Returns {"space", "loss", "eps": [...], "accuracy": [percent per eps], "samples"}. Restores the model's
// train/eval mode; leaves parameter gradients untouched. before_batch (if set) runs before each batch: a job's
// preemption check, since a sweep over a large test set can outlast Slurm's grace period on a CPU.
boost::json::object fgsm_sweep(ClassifierImpl& model, const torch::Tensor& images_u8, const torch::Tensor& labels,
                               const torch::Tensor& mean, const torch::Tensor& std, const std::vector<double>& eps,
                               int64_t batch, const std::function<void()>& before_batch = {});

}  // namespace bgm
