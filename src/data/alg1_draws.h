// Algorithm 1's draws for replica r of training image i, pure functions of (label seed, i, r) so that a resumed
// job, another rank or another device draws the same: the zero-out mask (exactly floor(N * positions) entries,
// the positions with the smallest hash keys, ties broken by position) and the random label.
#pragma once
#include <cstdint>

#include <torch/torch.h>

namespace bgm {

// bool [B, C or 1, H, W], true = zeroed; `per_pixel`: all channels of a pixel (paper) rather than single values.
torch::Tensor zero_out_mask(const torch::Tensor& image_index, const torch::Tensor& replica_index, int64_t label_seed,
                            double fraction, bool per_pixel, int64_t channels, int64_t height, int64_t width);

// uint8 images [B, C, H, W] (`raw`, the training images of `image_index`) with their masks applied. On the CPU one
// pass per image in 32-bit integer arithmetic and a partial sort, without the mask's int64 temporaries; on other
// devices the tensor ops of zero_out_mask. The same bits either way.
torch::Tensor zeroed_replicas(const torch::Tensor& raw, const torch::Tensor& image_index,
                              const torch::Tensor& replica_index, int64_t label_seed, double fraction, bool per_pixel);

// int64 [B] in [0, classes): uniform over all classes, independent of (and possibly equal to) the true label.
torch::Tensor random_labels(const torch::Tensor& image_index, const torch::Tensor& replica_index, int64_t label_seed,
                            int64_t classes);

}  // namespace bgm
