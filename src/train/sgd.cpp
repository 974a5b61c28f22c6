#include "train/sgd.h"

namespace bgm {

double scheduled_lr(const SgdSpec& spec, int64_t epoch) {
  double lr = spec.lr;
  for (int64_t m : spec.milestones)
    if (epoch > m) lr *= spec.gamma;
  return lr;
}

Sgd::Sgd(std::vector<torch::Tensor> params, double momentum, double weight_decay)
    : params_(std::move(params)), buffers_(params_.size()), momentum_(momentum), weight_decay_(weight_decay) {}

void Sgd::zero_grad() {
  for (auto& p : params_)
    if (p.grad().defined()) p.mutable_grad().zero_();
}

// Multi-tensor (foreach) ops: on CUDA one fused kernel per phase instead of one per parameter (ResNet18's 62
// parameters would cost ~250 launches a step); on the CPU the same elementwise ops, tensor by tensor.
void Sgd::step(double lr) {
  torch::NoGradGuard no_grad;
  std::vector<size_t> index;
  std::vector<torch::Tensor> params, grads;
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!params_[i].grad().defined()) continue;
    index.push_back(i);
    params.push_back(params_[i]);
    grads.push_back(params_[i].grad());
  }
  if (params.empty()) return;
  std::vector<torch::Tensor> d = weight_decay_ != 0 ? at::_foreach_add(grads, params, weight_decay_) : grads;
  if (momentum_ != 0) {
    std::vector<torch::Tensor> running, update;  // buffers past their first step, and their d
    for (size_t k = 0; k < index.size(); ++k) {
      torch::Tensor& buf = buffers_[index[k]];
      if (!buf.defined()) {
        buf = d[k].clone().detach();  // PyTorch's first step: buffer = d
      } else {
        running.push_back(buf);
        update.push_back(d[k]);
      }
    }
    if (!running.empty()) {
      at::_foreach_mul_(running, momentum_);
      at::_foreach_add_(running, update);
    }
    for (size_t k = 0; k < index.size(); ++k) d[k] = buffers_[index[k]];
  }
  at::_foreach_add_(params, d, -lr);
}

}  // namespace bgm
