// One SGD step of a stage, the code both `bgm run` (run_sgd_stage) and `bgm bench` execute: this rank's shard
// of the global batch from the BatchSource, summed cross-entropy scaled to the global mean (optionally under bf16
// autocast), backward, one-bucket gradient all-reduce, Sgd step.
#pragma once
#include <cstdint>
#include <utility>

#include <torch/torch.h>

#include "data/batch_source.h"
#include "dist/communicator.h"
#include "models/classifier.h"
#include "train/sgd.h"

namespace bgm {

// This rank's part [begin, end) of global positions [lo, hi): equal shards, the remainder spread first.
std::pair<int64_t, int64_t> rank_shard(int64_t lo, int64_t hi, int rank, int ranks);

// Seconds per phase. With `synchronize`, the device is synchronized after each phase (a profiling pass: bench);
// without, the phases are timed as launched (the stage's data time: on CUDA the gathers' launches only).
struct PhaseTimes {
  bool synchronize = false;
  double data = 0, forward_backward = 0, allreduce = 0, optimizer = 0;
};

class TrainStep {
 public:
  TrainStep(ClassifierImpl& model, Sgd& optimizer, Communicator& comm, bool bf16, bool channels_last = false);

  // The step over global positions [lo, hi) of `plan`: adds this rank's loss (as a sum over its images) to
  // `running_loss` (float64, on the device); `times`, when given, gets each phase's seconds.
  void run(const BatchSource& source, const EpochPlan& plan, int64_t lo, int64_t hi, double lr,
           torch::Tensor& running_loss, PhaseTimes* times = nullptr);

 private:
  ClassifierImpl& model_;
  Sgd& optimizer_;
  Communicator& comm_;
  std::vector<torch::Tensor> params_;
  bool bf16_, channels_last_;
  torch::TensorOptions index_options_;
};

}  // namespace bgm
