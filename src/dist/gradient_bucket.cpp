// Data-parallel gradient averaging: one flat bucket, one collective per step (not one per tensor, which
// costs a latency per layer and is what pytorch/examples' dist-mnist does).
#include "core/error.h"
#include "dist/communicator.h"

namespace bgm {

void allreduce_gradients(Communicator& comm, const std::vector<torch::Tensor>& params) {
  if (comm.size() == 1 || params.empty()) return;
  torch::NoGradGuard no_grad;
  const auto options = params.front().options();
  std::vector<torch::Tensor> pieces;
  pieces.reserve(params.size());
  for (const auto& p : params) {
    if (p.scalar_type() != options.dtype().toScalarType() || p.device() != params.front().device())
      throw Error("allreduce_gradients: parameters differ in dtype or device; the bucket needs one of each");
    // A parameter that took no part in this rank's forward still joins with zeros, so every rank's
    // bucket has the same layout.
    pieces.push_back(p.grad().defined() ? p.grad().reshape({-1}) : torch::zeros({p.numel()}, options));
  }
  torch::Tensor bucket = torch::cat(pieces);
  comm.allreduce_mean_(bucket);
  int64_t offset = 0;
  for (const auto& p : params) {
    const int64_t n = p.numel();
    torch::Tensor averaged = bucket.narrow(0, offset, n).view(p.sizes());
    if (p.grad().defined()) {
      p.grad().copy_(averaged);
    } else {
      p.mutable_grad() = averaged.clone();
    }
    offset += n;
  }
}

}  // namespace bgm
