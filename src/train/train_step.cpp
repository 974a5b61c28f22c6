#include "train/train_step.h"

#include <algorithm>
#include <chrono>

#include "train/precision.h"

namespace bgm {

std::pair<int64_t, int64_t> rank_shard(int64_t lo, int64_t hi, int rank, int ranks) {
  const int64_t n = hi - lo, base = n / ranks, extra = n % ranks;
  const int64_t begin = lo + rank * base + std::min<int64_t>(rank, extra);
  return {begin, begin + base + (rank < extra ? 1 : 0)};
}

TrainStep::TrainStep(ClassifierImpl& model, Sgd& optimizer, Communicator& comm, bool bf16, bool channels_last)
    : model_(model), optimizer_(optimizer), comm_(comm), params_(optimizer.params()), bf16_(bf16),
      channels_last_(channels_last),
      index_options_(torch::TensorOptions().dtype(torch::kInt64).device(params_.front().device())) {}

void TrainStep::run(const BatchSource& source, const EpochPlan& plan, int64_t lo, int64_t hi, double lr,
                    torch::Tensor& running_loss, PhaseTimes* times) {
  using Clock = std::chrono::steady_clock;
  auto t = Clock::now();
  auto lap = [&](double PhaseTimes::*field) {
    if (!times) return;
    if (times->synchronize && index_options_.device().is_cuda()) torch::cuda::synchronize(index_options_.device().index());
    times->*field += std::chrono::duration<double>(Clock::now() - t).count();
    t = Clock::now();
  };
  const auto [begin, end] = rank_shard(lo, hi, comm_.rank(), comm_.size());
  optimizer_.zero_grad();
  lap(&PhaseTimes::optimizer);
  if (end > begin) {
    Batch b = source.batch(plan, torch::arange(begin, end, index_options_));
    if (channels_last_) b.inputs = b.inputs.contiguous(at::MemoryFormat::ChannelsLast);
    lap(&PhaseTimes::data);
    torch::Tensor loss;
    {
      AutocastScope autocast(bf16_);
      auto logits = model_.forward(b.inputs);
      // Sum over this shard / global batch * ranks, so the ranks' mean is the global batch mean.
      loss = torch::nn::functional::cross_entropy(
                 logits, b.labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) *
             (static_cast<double>(comm_.size()) / static_cast<double>(hi - lo));
    }
    loss.backward();
    running_loss += loss.detach().to(torch::kFloat64) * (static_cast<double>(hi - lo) / comm_.size());
    lap(&PhaseTimes::forward_backward);
  }
  allreduce_gradients(comm_, params_);
  lap(&PhaseTimes::allreduce);
  optimizer_.step(lr);
  lap(&PhaseTimes::optimizer);
}

}  // namespace bgm
