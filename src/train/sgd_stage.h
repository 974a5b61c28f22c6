// One SGD stage (Algorithm 1's pretraining, or training on true labels): epochs of shuffled batches,
// the step schedule, data-parallel gradient averaging, evaluation hooks, checkpoints and resume.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include <boost/json.hpp>
#include <torch/torch.h>

#include "core/job_spec.h"
#include "data/batch_source.h"
#include "dist/communicator.h"
#include "models/classifier.h"

namespace bgm {

struct EvalResult {
  double loss = 0;      // mean cross-entropy
  double accuracy = 0;  // percent
};
// Eval mode, no grad, large batches; sharded over the communicator's ranks and summed. `bf16`: under CUDA autocast.
EvalResult evaluate(ClassifierImpl& model, const BatchSource& source, const EpochPlan& plan, int64_t batch_size,
                    Communicator& comm, bool bf16 = false);

// Settings outside the job id (and W0A's key) that still decide a stage's bits: the step kernel, the curve's
// cadence, the evaluation batches, the toy grid written after it. A stage resumed from a checkpoint keeps the
// values it started with, so that a rerun with other values, or another job sharing its adversarial init,
// continues that run instead of splicing two; the result then records the values that ran.
struct StageSettings {
  bool lean_step = true;  // the hand-written step for small MLPs on one CPU rank, where it applies (lean_mlp_step.h)
  int64_t eval_every = 1;
  int64_t eval_batch_size = 1000;
  int64_t toy_grid = 0;

  static StageSettings of(const JobSpec& job);
  void apply_to(JobSpec& job) const;  // the job as it ran, for its result
  boost::json::object to_json() const;
  static StageSettings from_json(const boost::json::object& o, const std::string& source);
  bool operator==(const StageSettings& o) const;
};

struct StageSpec {
  std::string stage;  // "adversarial-init" | "train": names the progress lines and the checkpoint
  SgdSpec sgd;
  uint64_t seed = 0;  // data-order stream
  std::string checkpoint_path;
  int64_t checkpoint_every = 1;
  double checkpoint_seconds = 0;  // minimum wall time between periodic checkpoints
  std::string job_hash;
  bool quiet = false;
  bool bf16 = false;  // forward and loss under CUDA bf16 autocast (precision.h)
};

// A job's stage: its seed (data order), checkpoint cadence and precision, with this stage's SGD settings,
// checkpoint file and the hash its checkpoints must carry.
StageSpec job_stage_spec(const JobSpec& job, const std::string& stage, const SgdSpec& sgd,
                         const std::string& checkpoint_path, const std::string& job_hash, bool quiet);

// The hook evaluates at epoch ends it cares about: returns a curve row (without lr/seconds, which
// the stage adds), whether the stop rule holds, and the accuracy fragment of the progress line.
struct EpochReport {
  boost::json::object row;
  bool record = true;    // false: a stop-rule check only, not a curve point
  bool stop = false;
  std::string summary;   // e.g. "train 98.20%  test 75.31%"
  double norm_seconds = 0;  // of the hook's time, computing the complexity norms
};
using EpochHook = std::function<std::optional<EpochReport>(int64_t epoch, bool last_epoch)>;

struct StageOutcome {
  int64_t epochs = 0;
  bool stopped_early = false;
  double seconds = 0;
  boost::json::array curve;
  std::string step_kernel;  // "libtorch" or LeanMlpStep::kName
  // Where a resumed stage ran on other hardware than its checkpoint's (device, ranks, threads, BLAS kernels),
  // which can change float rounding: "epoch 120: cpu, 1 rank, ... -> ...". Empty otherwise.
  boost::json::array machine_changes;
  // Where `seconds` went, summed over the processes that ran the stage (README "Result JSON"): steps (of which
  // data: batch gather, augmentation, Algorithm 1's masks), curve points (of which norms), stop-rule checks,
  // checkpoints, other.
  boost::json::object breakdown;
};

// `settings` is in/out: a resumed stage replaces it with its checkpoint's (the hook should read it, not the job).
StageOutcome run_sgd_stage(ClassifierImpl& model, const BatchSource& source, const StageSpec& spec,
                           StageSettings& settings, Communicator& comm, const EpochHook& hook);

// Makes every rank's parameters and buffers equal rank 0's (start of training; BN stats at epoch ends).
void broadcast_model_state(Communicator& comm, torch::nn::Module& model, bool buffers_only);

}  // namespace bgm
