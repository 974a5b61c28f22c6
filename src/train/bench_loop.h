// What `bgm bench` times, beside the code it measures: steps of the training loop (TrainStep, or the lean MLP
// step where the stage would take it) walking through epochs as run_sgd_stage does, a whole Algorithm-1 stage of
// the toy, and the peak memory of either.
#pragma once
#include <memory>
#include <string>
#include <utility>

#include <boost/json.hpp>
#include <torch/torch.h>

#include "core/job_spec.h"
#include "data/batch_source.h"
#include "data/device_dataset.h"
#include "dist/communicator.h"
#include "models/classifier.h"
#include "train/lean_mlp_step.h"
#include "train/sgd.h"
#include "train/train_step.h"

namespace bgm {

// The SGD the image benchmarks step with: the paper's CIFAR schedule with momentum and l2 on (its SOTA mode),
// which is also what the authors' loop (benchmarks/authors_loop.py) runs.
SgdSpec image_bench_sgd();

// The job's dataset from its files, else (images only) synthetic data of its shape from the dataset facts;
// `note` says which ("real", or "synthetic (<why the files were not read>)").
DeviceDataset bench_dataset(const JobSpec& job, const torch::Device& device, std::string& note);

// What the bench trains on: Algorithm 1's set (with the dataset's default R and N where the job has none), or the
// true-label training split, augmented or not.
std::unique_ptr<BatchSource> bench_train_source(const DeviceDataset& data, const JobSpec& job, bool random_labels,
                                                bool augment);

// The phases' milliseconds per step of a synchronized pass of `steps` steps, and their total.
boost::json::object phase_milliseconds(const PhaseTimes& times, int64_t steps);

// Seconds of one evaluate() over `source` after a warm-up pass, the device synchronized around it.
double time_evaluation(ClassifierImpl& model, const BatchSource& source, int64_t batch, Communicator& comm, bool bf16);

// Steps over epochs of `source` (data-order seed 0, a fresh EpochPlan at each epoch start), with the stage's
// own step: TrainStep, or LeanMlpStep where `lean` and it applies (the toy on one CPU rank).
class BenchSteps {
 public:
  BenchSteps(ClassifierImpl& model, const BatchSource& source, const SgdSpec& sgd, Communicator& comm, int64_t batch,
             bool bf16, bool channels_last, bool lean);
  const char* kernel() const;
  // `times`: when given, synchronizes the device between phases and adds each phase's seconds.
  void step(PhaseTimes* times);
  // Reads the running loss back, as the stage does at each epoch end (a device sync).
  double drain();

 private:
  const BatchSource& source_;
  Sgd optimizer_;
  TrainStep train_step_;
  double lr_;
  int64_t batch_;
  EpochPlan plan_;
  int64_t epoch_ = 0, position_ = 0;
  torch::Tensor running_loss_;
  std::unique_ptr<LeanMlpStep> lean_;
  double lean_loss_ = 0;
};

// Fig. 1b's stage as `bgm run` runs it: run_sgd_stage over the random-label set with Algorithm 1's hook (accuracy
// on C every check_every epochs, never stopping early here) and the job's checkpoint cadence, in a scratch folder.
boost::json::object time_toy_stage(ClassifierImpl& model, const BatchSource& source, const JobSpec& job,
                                   int64_t epochs, int64_t batch, bool lean, Communicator& comm);

void synchronize_device(const torch::Device& device);
// Peak bytes since the last reset: the CUDA caching allocator's peak of allocated bytes, or the process's peak
// resident set on the CPU (which includes the dataset and LibTorch itself); with what was measured.
void reset_peak_memory(const torch::Device& device);
std::pair<int64_t, std::string> peak_memory(const torch::Device& device);

}  // namespace bgm
