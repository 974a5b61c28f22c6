// SGD as the authors ran it (torch.optim.SGD): coupled weight decay on every parameter (BN and biases
// too), PyTorch-style momentum (dampening 0, no Nesterov, buffer = first gradient on the first step),
// and the step schedule lr = lr0 * gamma^(milestones passed), changing after each listed epoch.
#pragma once
#include <vector>

#include <torch/torch.h>

#include "core/job_spec.h"

namespace bgm {

// Learning rate during 1-based `epoch`.
double scheduled_lr(const SgdSpec& spec, int64_t epoch);

class Sgd {
 public:
  Sgd(std::vector<torch::Tensor> params, double momentum, double weight_decay);
  void zero_grad();
  void step(double lr);
  const std::vector<torch::Tensor>& params() const { return params_; }
  double momentum() const { return momentum_; }
  double weight_decay() const { return weight_decay_; }
  // Momentum buffers for checkpoints: undefined until the first step.
  std::vector<torch::Tensor>& momentum_buffers() { return buffers_; }

 private:
  std::vector<torch::Tensor> params_;
  std::vector<torch::Tensor> buffers_;
  double momentum_, weight_decay_;
};

}  // namespace bgm
