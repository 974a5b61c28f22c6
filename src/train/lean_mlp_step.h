// A hand-written SGD step for small three-layer ReLU MLPs (Fig. 1's toy) on one CPU rank: forward, softmax
// cross-entropy, backward and the SGD update on raw float arrays, with no autograd and no allocation per step.
// A batch-10 step of the 2-100-100-2 toy is ~0.3 MFLOP: LibTorch spends ~0.4 ms of dispatch on it, this a few us.
// The math is run_sgd_stage's (mean loss over the batch, coupled weight decay, PyTorch momentum); only the
// summation order differs from LibTorch's GEMMs, so results agree to float rounding, not bit for bit.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include <torch/torch.h>

#include "data/batch_source.h"
#include "dist/communicator.h"
#include "models/classifier.h"
#include "train/sgd.h"

namespace bgm {

class LeanMlpStep {
 public:
  // The lean step for this model, or nullptr where it does not apply (another model, a GPU, several ranks, or
  // inputs too wide to gain: it is for the toy's 2-feature points, not Fashion-MNIST's 784 pixels).
  static std::unique_ptr<LeanMlpStep> make(ClassifierImpl& model, const Communicator& comm, Sgd& optimizer);

  // One SGD step on `rows` examples (inputs row-major [rows, features], labels in [0, classes)); the weights and
  // the optimizer's momentum buffers are updated in place. Returns the summed cross-entropy of the batch.
  double step(const float* inputs, const int64_t* labels, int64_t rows, double lr);

  // The stage's use: draw the epoch's examples once (a batch is a pure function of plan and position, so they are
  // what the steps would draw one by one), then step on positions [lo, hi) of them.
  void begin_epoch(const BatchSource& source, const EpochPlan& plan);
  double step_positions(int64_t lo, int64_t hi, double lr);

  static constexpr const char* kName = "lean-mlp-cpu";

 private:
  struct Layer {
    torch::Tensor weight, bias;  // [out, in], [out]: the model's own tensors
    int64_t in = 0, out = 0;
    size_t weight_slot = 0, bias_slot = 0;  // their places in the optimizer's parameter list
  };
  LeanMlpStep(std::vector<Layer> layers, Sgd& optimizer);

  std::vector<Layer> layers_;
  Sgd& optimizer_;
  // Workspace, grown to the largest batch seen: activations, their gradients, the weight gradients.
  std::vector<float> h1_, h2_, logits_, d_logits_, d_h2_, d_h1_, grad_w_, grad_b_, transposed_;
  Batch epoch_;  // begin_epoch's examples: inputs float [size, features], labels int64, both contiguous
};

}  // namespace bgm
