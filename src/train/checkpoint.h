// Weight files (W0, W0A, final) and resumable stage checkpoints, written atomically (temporary file
// + rename) so a kill at any moment leaves either the previous file or the new one, never half of one.
#pragma once
#include <string>

#include <torch/torch.h>

#include "train/sgd.h"

namespace bgm {

// Parameters and buffers by name (torch::serialize archive).
void save_weights(const torch::nn::Module& model, const std::string& path);
// Copies into `model`'s tensors (any device); errors name the file and the missing/mismatched tensor.
void load_weights(torch::nn::Module& model, const std::string& path);

struct StageState {
  std::string job_hash;     // a checkpoint of another job is never resumed
  std::string stage;        // "adversarial-init" | "train"
  int64_t epoch = 0;        // epochs completed
  int64_t step = 0;         // steps already done in epoch `epoch + 1` (preemption mid-epoch)
  double seconds = 0;       // training seconds so far, across restarts
  std::string curve_json = "[]";
  std::string extra_json = "{}";  // stage-specific (e.g. stop bookkeeping)
};

void save_stage_checkpoint(const std::string& path, const torch::nn::Module& model, Sgd& optimizer, const StageState& state);
// False when there is no file; throws when the file exists but is unreadable or for another job.
bool load_stage_checkpoint(const std::string& path, torch::nn::Module& model, Sgd& optimizer, StageState& state);

}  // namespace bgm
