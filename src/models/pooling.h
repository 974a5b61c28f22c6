// Average pooling as the models call it. An average pool is a layer of fixed weights 1/k over its k inputs, so the
// path norms (metrics/complexity_norms), which run the network with every weight w replaced by |w|^p, must see it
// weigh (1/k)^p: ScopedPoolingWeightPower sets that p for the calling thread. Outside one, p = 1: plain pooling.
#pragma once
#include <torch/torch.h>

namespace bgm {

// avg_pool2d with a kernel x kernel window and stride kernel, each input weighing (1/kernel^2)^p.
torch::Tensor average_pool2d(const torch::Tensor& x, int64_t kernel);

// The mean over all H x W positions, flattened to [N, C]; each position weighs (1/(H*W))^p.
torch::Tensor global_average_pool(const torch::Tensor& x);

class ScopedPoolingWeightPower {
 public:
  explicit ScopedPoolingWeightPower(double p);
  ~ScopedPoolingWeightPower();
  ScopedPoolingWeightPower(const ScopedPoolingWeightPower&) = delete;
  ScopedPoolingWeightPower& operator=(const ScopedPoolingWeightPower&) = delete;

 private:
  double previous_;
};

}  // namespace bgm
