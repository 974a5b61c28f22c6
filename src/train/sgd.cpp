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

void Sgd::step(double lr) {
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < params_.size(); ++i) {
    auto& p = params_[i];
    if (!p.grad().defined()) continue;
    torch::Tensor d = p.grad();
    if (weight_decay_ != 0) d = d.add(p, weight_decay_);
    if (momentum_ != 0) {
      auto& buf = buffers_[i];
      if (!buf.defined()) buf = d.clone().detach();
      else buf.mul_(momentum_).add_(d);
      d = buf;
    }
    p.add_(d, -lr);
  }
}

}  // namespace bgm
