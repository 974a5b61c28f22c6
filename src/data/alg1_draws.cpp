#include "data/alg1_draws.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/content_hash.h"

namespace bgm {

namespace {

constexpr int64_t kLow32 = 0xffffffffLL;
constexpr uint32_t kPositionSalt = 0x632be5abu, kReplicaStep = 0x9e3779b1u;

// Wellons' lowbias32 on int64 tensors holding values in [0, 2^32): the same integer ops on CPU and CUDA give the
// same bits. In place: the mask's [B, positions] temporaries are the largest tensors of a generated batch.
torch::Tensor mix32(torch::Tensor x) {
  x.bitwise_xor_(x.bitwise_right_shift(16));
  x.mul_(static_cast<int64_t>(0x7feb352d)).bitwise_and_(kLow32);
  x.bitwise_xor_(x.bitwise_right_shift(15));
  x.mul_(static_cast<int64_t>(0x846ca68b)).bitwise_and_(kLow32);
  return x.bitwise_xor_(x.bitwise_right_shift(16));
}

// The same function on one 32-bit value (products modulo 2^32, as the tensors' masked int64 products).
inline uint32_t mix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  return x ^ (x >> 16);
}

uint32_t seed_key(int64_t label_seed, int64_t salt) {
  return static_cast<uint32_t>(fnv1a64("alg1/" + std::to_string(label_seed) + "/" + std::to_string(salt)) & kLow32);
}

// Hash of (label seed, image, replica, salt): one 32-bit key per replica.
torch::Tensor replica_key(const torch::Tensor& image, const torch::Tensor& replica, int64_t label_seed, int64_t salt) {
  auto h = mix32(image.bitwise_and(kLow32).bitwise_xor_(static_cast<int64_t>(seed_key(label_seed, salt))));
  return mix32(h.add_(replica.mul(static_cast<int64_t>(kReplicaStep))).bitwise_and_(kLow32));
}

uint32_t replica_key(int64_t image, int64_t replica, uint32_t seed) {
  const uint32_t h = mix32(static_cast<uint32_t>(image) ^ seed);
  return mix32(h + static_cast<uint32_t>(replica) * kReplicaStep);
}

}  // namespace

torch::Tensor zero_out_mask(const torch::Tensor& image_index, const torch::Tensor& replica_index, int64_t label_seed,
                            double fraction, bool per_pixel, int64_t channels, int64_t height, int64_t width) {
  const int64_t planes = per_pixel ? 1 : channels;
  const int64_t positions = planes * height * width;
  // Exactly floor(N * positions) entries, as the authors' int(3072 * ratio).
  const int64_t zeroed = static_cast<int64_t>(fraction * static_cast<double>(positions));
  const auto b = image_index.size(0);
  auto mask = torch::zeros({b, positions}, image_index.options().dtype(torch::kBool));
  if (zeroed > 0) {
    auto key = replica_key(image_index, replica_index, label_seed, 1).view({b, 1});
    auto pos = torch::arange(positions, image_index.options()).view({1, positions});
    auto keys = mix32(key.bitwise_xor(mix32(pos.add(static_cast<int64_t>(kPositionSalt)).bitwise_and_(kLow32))));
    // key * positions + position: distinct, so the smallest `zeroed` are one set whatever topk's tie order.
    keys.mul_(positions).add_(pos);
    auto chosen = std::get<1>(keys.topk(zeroed, 1, /*largest=*/false, /*sorted=*/false));
    mask.scatter_(1, chosen, true);
  }
  return mask.view({b, planes, height, width});
}

torch::Tensor zeroed_replicas(const torch::Tensor& raw, const torch::Tensor& image_index,
                              const torch::Tensor& replica_index, int64_t label_seed, double fraction, bool per_pixel) {
  const int64_t b = raw.size(0), channels = raw.size(1), pixels = raw.size(2) * raw.size(3);
  const int64_t positions = per_pixel ? pixels : channels * pixels;
  const int64_t zeroed = static_cast<int64_t>(fraction * static_cast<double>(positions));
  if (zeroed <= 0) return raw;
  if (!raw.device().is_cpu())
    return raw.masked_fill(zero_out_mask(image_index, replica_index, label_seed, fraction, per_pixel, channels,
                                         raw.size(2), raw.size(3)),
                           0);
  torch::Tensor out = raw.contiguous().clone();
  const auto images = image_index.to(torch::kInt64).contiguous(), replicas = replica_index.to(torch::kInt64).contiguous();
  const int64_t* image = images.data_ptr<int64_t>();
  const int64_t* replica = replicas.data_ptr<int64_t>();
  uint8_t* data = out.data_ptr<uint8_t>();
  const uint32_t seed = seed_key(label_seed, 1);
  std::vector<uint32_t> position_key(static_cast<size_t>(positions));
  for (int64_t p = 0; p < positions; ++p) position_key[p] = mix32(static_cast<uint32_t>(p) + kPositionSalt);
  // The keys are uniform: the smallest `zeroed` lie below this bound but for a rare image (5 standard deviations
  // of the count), so the partial sort sees about `zeroed` candidates rather than every position.
  const double expected = static_cast<double>(zeroed);
  const double bound = (expected + 5.0 * std::sqrt(expected) + 8.0) / static_cast<double>(positions) * 4294967296.0;
  const uint64_t below = bound >= 4294967296.0 ? (uint64_t{1} << 32) : static_cast<uint64_t>(bound);
  std::vector<uint64_t> keys;
  keys.reserve(static_cast<size_t>(positions));
  for (int64_t row = 0; row < b; ++row) {
    const uint32_t key = replica_key(image[row], replica[row], seed);
    // key * positions + position: ordered by the hash, ties by position, as zero_out_mask's.
    auto gather = [&](uint64_t limit) {
      keys.clear();
      for (int64_t p = 0; p < positions; ++p) {
        const uint64_t h = mix32(key ^ position_key[p]);
        if (h < limit) keys.push_back(h * static_cast<uint64_t>(positions) + static_cast<uint64_t>(p));
      }
    };
    gather(below);
    if (static_cast<int64_t>(keys.size()) < zeroed) gather(uint64_t{1} << 32);
    std::nth_element(keys.begin(), keys.begin() + (zeroed - 1), keys.end());
    uint8_t* img = data + row * channels * pixels;
    for (int64_t k = 0; k < zeroed; ++k) {
      const int64_t p = static_cast<int64_t>(keys[k] % static_cast<uint64_t>(positions));
      if (per_pixel)
        for (int64_t c = 0; c < channels; ++c) img[c * pixels + p] = 0;
      else
        img[p] = 0;
    }
  }
  return out;
}

torch::Tensor random_labels(const torch::Tensor& image_index, const torch::Tensor& replica_index, int64_t label_seed,
                            int64_t classes) {
  return replica_key(image_index, replica_index, label_seed, 2).remainder(classes);
}

}  // namespace bgm
