#include "models/pooling.h"

#include <cmath>

namespace bgm {
namespace {

thread_local double pooling_weight_power = 1.0;

// A mean over k inputs already weighs each by 1/k; (1/k)^p is that times k^(1-p).
torch::Tensor reweighted(torch::Tensor mean, int64_t k) {
  if (pooling_weight_power == 1.0) return mean;
  return mean * std::pow(static_cast<double>(k), 1.0 - pooling_weight_power);
}

}  // namespace

torch::Tensor average_pool2d(const torch::Tensor& x, int64_t kernel) {
  return reweighted(torch::avg_pool2d(x, {kernel, kernel}), kernel * kernel);
}

torch::Tensor global_average_pool(const torch::Tensor& x) {
  return reweighted(torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1), x.size(-2) * x.size(-1));
}

ScopedPoolingWeightPower::ScopedPoolingWeightPower(double p) : previous_(pooling_weight_power) {
  pooling_weight_power = p;
}

ScopedPoolingWeightPower::~ScopedPoolingWeightPower() { pooling_weight_power = previous_; }

}  // namespace bgm
